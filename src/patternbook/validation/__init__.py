"""Bundles → validated :class:`~patternbook.schema.Pattern` models, with every
problem collected as a positioned diagnostic. Never stops at the first problem."""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from patternbook.errors import Diagnostic, Severity, UsageError, sort_diagnostics
from patternbook.loader import (
    CATALOGUE_FILE,
    PATTERN_FILE,
    RawBundle,
    YamlDocument,
    bundle_directories,
    display_path,
    find_catalogue_root,
    load_bundle,
    load_catalogue_source,
)
from patternbook.schema import KINDS, AntiPattern, Bundle, CatalogueFile, Pattern, Vocabulary, did_you_mean
from patternbook.schema.diagram_kinds import node_kind_check
from patternbook.validation.adoption_rules import check_adoption, check_adoption_dates, check_adoption_settings
from patternbook.validation.cost_rules import check_cost
from patternbook.validation.cross_bundle import (
    PatternOutline,
    check_bundle_kinds,
    check_catalogue_vocabulary,
    check_relations,
    check_reviews,
    check_series,
    check_series_kinds,
    check_unique_titles,
)
from patternbook.validation.diagram_rules import KindCheck, check_diagrams
from patternbook.validation.field_errors import diagnostics_from_validation_error
from patternbook.validation.markdown_rules import (
    REQUIRED_ANTI_PATTERN_SECTIONS,
    REQUIRED_SOLUTION_SECTIONS,
    check_solution,
)
from patternbook.validation.parallel import check_bundles
from patternbook.validation.result_cache import ResultCache

__all__ = [
    "MAX_DIAGNOSTICS_PER_FILE",
    "ValidationReport",
    "bounded_per_file",
    "validate_bundle",
    "validate_catalogue_file",
    "validate_paths",
]


@dataclass
class ValidationReport:
    root: Path
    catalogue: CatalogueFile | None
    patterns: dict[str, Pattern]
    """Every valid pattern, by slug (empty when validated with ``keep_models=False``)."""
    valid_slugs: frozenset[str]
    bundles: dict[str, RawBundle]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    complete: bool = True
    """Whether every bundle of the catalogue was checked (not a subset)."""
    anti_patterns: dict[str, AntiPattern] = field(default_factory=dict)
    """Every valid anti-pattern, by slug. Kept apart from ``patterns`` so code that
    reads a pattern's costs, operations or repositories never meets one."""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_catalogue_file(document: YamlDocument | None) -> tuple[CatalogueFile | None, list[Diagnostic]]:
    if document is None:
        return None, []
    if not isinstance(document.data, dict):
        return None, [Diagnostic(document.shown_as, 1, 1, "PB106", "catalogue.yaml must be a mapping of fields")]
    try:
        catalogue = CatalogueFile.model_validate(document.data)
    except ValidationError as error:
        return None, diagnostics_from_validation_error(error, document, CatalogueFile)
    return catalogue, check_catalogue_vocabulary(catalogue, document) + check_adoption_settings(catalogue, document)


def vocabulary_of(catalogue: CatalogueFile) -> Vocabulary:
    return Vocabulary(
        categories=frozenset(c.id for c in catalogue.categories),
        tags=frozenset(catalogue.tags),
        symptoms=frozenset(s.id for s in catalogue.symptoms),
        repository_hosts=frozenset(catalogue.repository_hosts),
        adoption=catalogue.adoption,
    )


def _kind_of(document: YamlDocument) -> tuple[str | None, list[Diagnostic]]:
    """The bundle's kind, read before choosing a model: an unknown kind is one
    diagnostic, not every field of the wrong model reported missing."""
    kind = document.data.get("kind", "pattern")
    if kind in KINDS:
        return kind, []
    line, column = document.position_of(("kind",))
    return None, [Diagnostic(document.shown_as, line, column, "PB207",
                             f"kind must be one of: {', '.join(KINDS)} (not {kind!r})", field="kind",
                             hint=did_you_mean(str(kind), KINDS))]


#: Fields a pattern has and an anti-pattern does not: nobody runs an anti-pattern on purpose.
PATTERN_ONLY_FIELDS = frozenset({"pillars", "when_to_use", "when_not_to_use", "cost", "operations", "repositories"})


def _explain_pattern_only_field(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.code != "PB202" or diagnostic.field not in PATTERN_ONLY_FIELDS:
        return diagnostic
    hint = ("an anti-pattern names the pillars it erodes under 'harms'" if diagnostic.field == "pillars" else
            "an anti-pattern has no cost, operations, repositories or when-to-use lists; "
            "see 'tolerable_when' and 'refactor_to'")
    return dataclasses.replace(diagnostic, hint=hint)


def validate_bundle(bundle: RawBundle, vocabulary: Vocabulary | None,
                    kind_check: KindCheck | None = node_kind_check) -> tuple[Bundle | None, list[Diagnostic]]:
    """One bundle on its own: its files, its fields, its prose and diagrams."""
    problems = list(bundle.diagnostics)
    document, solution = bundle.pattern, bundle.solution
    kind: str | None = "pattern"
    if document is not None and isinstance(document.data, dict):
        kind, found = _kind_of(document)
        problems += found
    if solution is not None:
        # With an unknown kind the required sections are unknown too; the kind error says enough.
        sections = {"pattern": REQUIRED_SOLUTION_SECTIONS, "anti-pattern": REQUIRED_ANTI_PATTERN_SECTIONS}
        problems += check_solution(solution, sections.get(kind or "", ()))
    if document is None or kind is None:
        return None, problems
    if not isinstance(document.data, dict):
        problems.append(Diagnostic(document.shown_as, 1, 1, "PB106",
                                   f"{PATTERN_FILE} must be a mapping of fields"))
        return None, problems
    for own in ("slug", "solution"):
        if own in document.data:
            line, column = document.position_of((own,), key=True)
            where = "the folder name" if own == "slug" else "solution.md"
            problems.append(Diagnostic(document.shown_as, line, column, "PB202",
                                       f"'{own}' is not written in {PATTERN_FILE}; it comes from {where}",
                                       field=own))
    data = {k: v for k, v in document.data.items() if k not in ("slug", "solution")}
    data["slug"] = bundle.slug
    data["solution"] = solution.text if solution else ""
    solution_file = solution.shown_as if solution else display_path(bundle.directory / "solution.md")
    elsewhere = {
        "slug": (display_path(bundle.directory), 1, 1),
        "solution": (solution_file, 1, 1),
    }
    model: type[Pattern] | type[AntiPattern] = AntiPattern if kind == "anti-pattern" else Pattern
    try:
        pattern = model.model_validate(data, context={"vocabulary": vocabulary})
    except ValidationError as error:
        found = diagnostics_from_validation_error(error, document, model, elsewhere=elsewhere)
        if model is AntiPattern:
            found = [_explain_pattern_only_field(d) for d in found]
        if solution is None:  # already reported as a missing file
            found = [d for d in found if d.field != "solution"]
        if any(d.code == "PB205" and d.field == "solution" for d in problems):  # reported line by line
            found = [d for d in found if not (d.code == "PB205" and d.field == "solution")]
        if any(d.code == "PB008" for d in problems):
            found = [d for d in found if d.field != "slug"]
        return None, problems + found
    problems += check_diagrams(pattern.diagrams, document, kind_check)
    problems += check_adoption(pattern, document, vocabulary.adoption if vocabulary else None)
    if isinstance(pattern, Pattern):
        problems += check_cost(pattern.cost, document)
    if any(d.is_error for d in problems):
        return None, problems
    return pattern, problems


def validate_paths(paths: list[Path], *, today: datetime.date | None = None, strict: bool = False,
                   kind_check: KindCheck | None = node_kind_check, keep_models: bool = True,
                   progress: Callable[[int, int], None] | None = None,
                   cache_file: Path | None = None) -> ValidationReport:
    """Validate a catalogue, or some of its bundles plus the cross-bundle rules.

    ``paths`` are the catalogue folder, bundle folders, or files inside bundles;
    all must belong to one catalogue. With ``cache_file`` (and ``keep_models=False``)
    each unchanged bundle's own checks are answered from that file
    (:mod:`patternbook.validation.result_cache`).
    """
    if not paths:
        raise UsageError("no paths to validate")
    today = today or datetime.date.today()
    roots = {find_catalogue_root(p) for p in paths}
    if len(roots) > 1:
        raise UsageError("paths belong to more than one catalogue: "
                         + ", ".join(sorted(display_path(r) for r in roots)))
    root = roots.pop()
    diagnostics: list[Diagnostic] = []
    all_directories = bundle_directories(root, diagnostics)
    known_slugs = frozenset(d.name for d in all_directories)

    wanted: list[Path] = []
    complete = False
    for path in paths:
        resolved = (path if path.is_dir() else path.parent).resolve()
        if resolved == root.resolve():
            complete = True
            wanted = all_directories
            break
        if resolved.parent.resolve() == root.resolve():
            wanted.append(resolved)
        else:
            raise UsageError(f"{display_path(path)}: not a bundle folder of {display_path(root)}")
    if not complete:
        diagnostics = []  # root-level strays are not this subset's business
    wanted = sorted(set(wanted), key=lambda p: p.name)

    source = load_catalogue_source(root)
    diagnostics += source.diagnostics
    catalogue, found = validate_catalogue_file(source.document)
    diagnostics += found
    vocabulary = vocabulary_of(catalogue) if catalogue else None
    if catalogue is not None and source.document is not None:
        diagnostics += check_series(catalogue, source.document, known_slugs)

    patterns: dict[str, Bundle] = {}
    bundles: dict[str, RawBundle] = {}
    directories = [d for d in wanted if d.is_dir() and not d.is_symlink()]
    check = functools.partial(validate_bundle, kind_check=kind_check)
    outlines: dict[str, PatternOutline] = {}
    cache = ResultCache(cache_file, root / CATALOGUE_FILE, kind_check) if cache_file and not keep_models else None
    for bundle, pattern, outline, found in check_bundles(directories, check, vocabulary, keep_models=keep_models,
                                                         cache=cache):
        bundles[bundle.slug] = bundle
        diagnostics += found
        if pattern is not None:
            patterns[pattern.slug] = pattern
        if outline is not None:
            outlines[outline.slug] = outline
        if progress is not None:
            progress(len(bundles), len(directories))

    if cache is not None:
        cache.save(complete=complete)
    documents = {slug: bundles[slug].pattern for slug in outlines}
    across = check_relations(outlines, documents, known_slugs)
    across += check_bundle_kinds(outlines, documents, known_slugs, _kinds_named_by(outlines, root, known_slugs))
    across += check_reviews(outlines, documents, today)
    across += check_adoption_dates(outlines, documents, today)
    across += check_unique_titles(outlines, documents)
    if catalogue is not None and source.document is not None:
        across += check_series_kinds(catalogue, source.document, outlines)
    if strict:
        across = [d.as_error() if d.severity is Severity.WARNING else d for d in across]
        diagnostics = [d.as_error() if d.severity is Severity.WARNING else d for d in diagnostics]
    failed_files = {d.path for d in across if d.is_error}
    valid = frozenset(slug for slug in outlines if documents[slug].shown_as not in failed_files)
    anti_patterns = {slug: p for slug, p in patterns.items() if slug in valid and isinstance(p, AntiPattern)}
    only_patterns = {slug: p for slug, p in patterns.items() if slug in valid and isinstance(p, Pattern)}
    diagnostics += across
    return ValidationReport(root, catalogue, only_patterns, valid, bundles,
                            bounded_per_file(sort_diagnostics(diagnostics)), complete, anti_patterns)


#: A file built to produce thousands of problems must not produce thousands of
#: lines of output (nor CI annotations); past this many, one line says how many more.
MAX_DIAGNOSTICS_PER_FILE = 50


def bounded_per_file(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """At most :data:`MAX_DIAGNOSTICS_PER_FILE` per file, errors first, then a
    single PB009 counting the rest (an error when any of the rest is one)."""
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.path, []).append(diagnostic)
    if all(len(found) <= MAX_DIAGNOSTICS_PER_FILE for found in by_file.values()):
        return diagnostics
    kept: list[Diagnostic] = []
    for path, found in by_file.items():
        if len(found) <= MAX_DIAGNOSTICS_PER_FILE:
            kept += found
            continue
        ranked = sorted(found, key=lambda d: not d.is_error)  # stable: errors first, in file order
        shown, rest = ranked[:MAX_DIAGNOSTICS_PER_FILE], ranked[MAX_DIAGNOSTICS_PER_FILE:]
        kept += sort_diagnostics(shown)
        kept.append(Diagnostic(path, rest[0].line, rest[0].column, "PB009",
                               f"{len(rest)} more problem(s) in this file are not shown; fix these first",
                               severity=Severity.ERROR if any(d.is_error for d in rest) else Severity.WARNING))
    return sort_diagnostics(kept)


def _kinds_named_by(outlines: dict[str, PatternOutline], root: Path, known_slugs: frozenset[str]) -> dict[str, str]:
    """The kind of every bundle the outlines point at. A bundle outside the
    validated subset is read for its ``kind`` alone (or left out when unreadable)."""
    kinds = {slug: outline.kind for slug, outline in outlines.items()}
    named = {r.pattern for o in outlines.values() for r in o.relations} | {
        t for o in outlines.values() for t in o.refactor_to}
    for slug in sorted((named & known_slugs) - set(kinds)):
        document = load_bundle(root / slug).pattern
        if document is not None and isinstance(document.data, dict):
            kind = document.data.get("kind", "pattern")
            if kind in KINDS:
                kinds[slug] = kind
    return kinds
