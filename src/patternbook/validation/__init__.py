"""Bundles → validated :class:`~patternbook.schema.Pattern` models, with every
problem collected as a positioned diagnostic. Never stops at the first problem."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from patternbook.errors import Diagnostic, Severity, UsageError, sort_diagnostics
from patternbook.loader import (
    PATTERN_FILE,
    RawBundle,
    YamlDocument,
    bundle_directories,
    display_path,
    find_catalogue_root,
    load_catalogue_source,
)
from patternbook.schema import CatalogueFile, Pattern, Vocabulary
from patternbook.schema.diagram_kinds import node_kind_check
from patternbook.validation.cross_bundle import (
    PatternOutline,
    check_catalogue_vocabulary,
    check_relations,
    check_reviews,
    check_series,
    check_unique_titles,
)
from patternbook.validation.diagram_rules import KindCheck, check_diagrams
from patternbook.validation.field_errors import diagnostics_from_validation_error
from patternbook.validation.markdown_rules import check_solution
from patternbook.validation.parallel import check_bundles

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
    return catalogue, check_catalogue_vocabulary(catalogue, document)


def vocabulary_of(catalogue: CatalogueFile) -> Vocabulary:
    return Vocabulary(
        categories=frozenset(c.id for c in catalogue.categories),
        tags=frozenset(catalogue.tags),
        symptoms=frozenset(s.id for s in catalogue.symptoms),
        repository_hosts=frozenset(catalogue.repository_hosts),
    )


def validate_bundle(bundle: RawBundle, vocabulary: Vocabulary | None,
                    kind_check: KindCheck | None = node_kind_check) -> tuple[Pattern | None, list[Diagnostic]]:
    """One bundle on its own: its files, its fields, its prose and diagrams."""
    problems = list(bundle.diagnostics)
    document, solution = bundle.pattern, bundle.solution
    if solution is not None:
        problems += check_solution(solution)
    if document is None:
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
    try:
        pattern = Pattern.model_validate(data, context={"vocabulary": vocabulary})
    except ValidationError as error:
        found = diagnostics_from_validation_error(error, document, Pattern, elsewhere=elsewhere)
        if solution is None:  # already reported as a missing file
            found = [d for d in found if d.field != "solution"]
        if any(d.code == "PB205" and d.field == "solution" for d in problems):  # reported line by line
            found = [d for d in found if not (d.code == "PB205" and d.field == "solution")]
        if any(d.code == "PB008" for d in problems):
            found = [d for d in found if d.field != "slug"]
        return None, problems + found
    problems += check_diagrams(pattern.diagrams, document, kind_check)
    if any(d.is_error for d in problems):
        return None, problems
    return pattern, problems


def validate_paths(paths: list[Path], *, today: datetime.date | None = None, strict: bool = False,
                   kind_check: KindCheck | None = node_kind_check, keep_models: bool = True,
                   progress: Callable[[int, int], None] | None = None) -> ValidationReport:
    """Validate a catalogue, or some of its bundles plus the cross-bundle rules.

    ``paths`` are the catalogue folder, bundle folders, or files inside bundles;
    all must belong to one catalogue.
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

    patterns: dict[str, Pattern] = {}
    bundles: dict[str, RawBundle] = {}
    directories = [d for d in wanted if d.is_dir() and not d.is_symlink()]
    check = functools.partial(validate_bundle, kind_check=kind_check)
    outlines: dict[str, PatternOutline] = {}
    for bundle, pattern, outline, found in check_bundles(directories, check, vocabulary, keep_models=keep_models):
        bundles[bundle.slug] = bundle
        diagnostics += found
        if pattern is not None:
            patterns[pattern.slug] = pattern
        if outline is not None:
            outlines[outline.slug] = outline
        if progress is not None:
            progress(len(bundles), len(directories))

    documents = {slug: bundles[slug].pattern for slug in outlines}
    across = check_relations(outlines, documents, known_slugs)
    across += check_reviews(outlines, documents, today)
    across += check_unique_titles(outlines, documents)
    if strict:
        across = [d.as_error() if d.severity is Severity.WARNING else d for d in across]
        diagnostics = [d.as_error() if d.severity is Severity.WARNING else d for d in diagnostics]
    failed_files = {d.path for d in across if d.is_error}
    valid = frozenset(slug for slug in outlines if documents[slug].shown_as not in failed_files)
    patterns = {slug: p for slug, p in patterns.items() if slug in valid}
    diagnostics += across
    return ValidationReport(root, catalogue, patterns, valid, bundles,
                            bounded_per_file(sort_diagnostics(diagnostics)), complete)


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
