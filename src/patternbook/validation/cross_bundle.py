"""Rules that need more than one bundle: slugs, relations, series, reviews."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from patternbook.errors import Diagnostic, Severity, field_path
from patternbook.loader import YamlDocument
from patternbook.schema import AntiPattern, CatalogueFile, Pattern, did_you_mean

__all__ = [
    "SYMMETRIC_RELATIONS",
    "PatternOutline",
    "check_bundle_kinds",
    "check_catalogue_vocabulary",
    "check_relations",
    "check_reviews",
    "check_series",
    "check_series_kinds",
    "check_unique_titles",
    "outline_of",
    "title_skeleton",
]

@dataclass(frozen=True, slots=True)
class RelationOutline:
    type: str
    pattern: str


@dataclass(frozen=True, slots=True)
class PatternOutline:
    """What the cross-bundle rules read of a pattern: small and cheap to send
    between processes, unlike the full model."""

    slug: str
    title: str
    status: str
    superseded_by: str | None
    last_reviewed: datetime.date
    review_interval_days: int
    relations: tuple[RelationOutline, ...]
    kind: str = "pattern"
    refactor_to: tuple[str, ...] = ()
    """Slugs an anti-pattern refactors toward (empty for a pattern)."""
    adoption_since: datetime.date | None = None
    """When the bundle entered its adoption ring, if it has one."""


def outline_of(pattern: Pattern | AntiPattern) -> PatternOutline:
    return PatternOutline(
        pattern.slug, pattern.title, pattern.status, pattern.superseded_by, pattern.last_reviewed,
        pattern.review_interval_days, tuple(RelationOutline(r.type, r.pattern) for r in pattern.relations),
        pattern.kind, tuple(step.pattern for step in getattr(pattern, "refactor_to", ())),
        pattern.adoption.since if pattern.adoption else None)


#: Relations that read the same both ways; the other pattern should say it too.
SYMMETRIC_RELATIONS = frozenset({"alternative_to", "complements", "conflicts_with", "found_with"})


def _at(document: YamlDocument, path: tuple, code: str, message: str, *,
        hint: str = "", severity: Severity = Severity.ERROR) -> Diagnostic:
    line, column = document.position_of(path)
    return Diagnostic(document.shown_as, line, column, code, message,
                      field=field_path(path), severity=severity, hint=hint)


def check_relations(patterns: dict[str, PatternOutline], documents: dict[str, YamlDocument],
                    known_slugs: frozenset[str]) -> list[Diagnostic]:
    """Relations and ``superseded_by`` resolve; symmetric relations are mirrored (warning).

    A pattern needs no relation while it is alone in its catalogue, so a new
    catalogue is valid from its first pattern; once there are others, a pattern
    that relates to none of them is a warning: readers reach patterns through
    their relations, and ``--strict`` (CI) makes the warning fail.
    """
    problems: list[Diagnostic] = []
    for slug, pattern in patterns.items():
        document = documents[slug]
        # An anti-pattern always relates through refactor_to, which it cannot leave empty.
        if not pattern.relations and not pattern.refactor_to and len(known_slugs - {slug}) > 0:
            others = sorted(known_slugs - {slug})
            problems.append(_at(
                document, ("relations",), "PB309",
                f"{slug} relates to no other pattern, while the catalogue holds {len(others)} other(s)",
                hint=f"add relations, e.g. {{type: complements, pattern: {others[0]}}}", severity=Severity.WARNING))
        seen: set[tuple[str, str]] = set()
        for index, relation in enumerate(pattern.relations):
            path = ("relations", index, "pattern")
            if relation.pattern == slug:
                problems.append(_at(document, path, "PB307", "a pattern cannot relate to itself"))
            elif relation.pattern not in known_slugs:
                problems.append(_at(document, path, "PB302",
                                    f"no pattern '{relation.pattern}' in this catalogue",
                                    hint=did_you_mean(relation.pattern, known_slugs)))
            if (relation.type, relation.pattern) in seen:
                problems.append(_at(document, ("relations", index), "PB207",
                                    f"relation {relation.type} {relation.pattern} is listed twice"))
            seen.add((relation.type, relation.pattern))
            other = patterns.get(relation.pattern)
            if other is None or relation.pattern == slug:
                continue
            if relation.type in SYMMETRIC_RELATIONS and not any(
                    r.type == relation.type and r.pattern == slug for r in other.relations):
                problems.append(_at(
                    document, path, "PB303",
                    f"{relation.type} {relation.pattern} is not mirrored: {relation.pattern} does not list {slug}",
                    hint=f"add {{type: {relation.type}, pattern: {slug}}} to {relation.pattern}",
                    severity=Severity.WARNING))
            if relation.type == "supersedes" and other.superseded_by != slug:
                problems.append(_at(
                    document, path, "PB303",
                    f"{slug} supersedes {relation.pattern}, whose superseded_by does not name {slug}",
                    severity=Severity.WARNING))

        if pattern.status == "deprecated":
            if pattern.superseded_by is None:
                problems.append(_at(document, ("status",), "PB306",
                                    "a deprecated pattern must name its successor in superseded_by"))
            elif pattern.superseded_by not in known_slugs:
                problems.append(_at(document, ("superseded_by",), "PB302",
                                    f"no pattern '{pattern.superseded_by}' in this catalogue",
                                    hint=did_you_mean(pattern.superseded_by, known_slugs)))
            elif pattern.superseded_by == slug:
                problems.append(_at(document, ("superseded_by",), "PB307",
                                    "a pattern cannot supersede itself"))
        elif pattern.superseded_by is not None:
            problems.append(_at(document, ("superseded_by",), "PB306",
                                f"superseded_by is only for deprecated patterns (status is {pattern.status})"))
    return problems


def check_bundle_kinds(patterns: dict[str, PatternOutline], documents: dict[str, YamlDocument],
                       known_slugs: frozenset[str], kinds: dict[str, str]) -> list[Diagnostic]:
    """``refactor_to`` resolves to a live pattern; relations join bundles of the same kind.

    ``kinds`` holds the kind of every bundle these outlines point at, including
    bundles outside a validated subset. The reverse of ``refactor_to`` is not
    written on the pattern: the catalogue derives it, so it cannot drift.
    """
    problems: list[Diagnostic] = []
    for slug, bundle in patterns.items():
        document = documents[slug]
        for index, relation in enumerate(bundle.relations):
            other = kinds.get(relation.pattern)
            if other is None or other == bundle.kind or relation.pattern == slug:
                continue
            path = ("relations", index, "pattern")
            if bundle.kind == "pattern":
                problems.append(_at(document, path, "PB311",
                                    f"'{relation.pattern}' is an anti-pattern; a pattern's relations name patterns",
                                    hint=f"{relation.pattern} links here through its own refactor_to"))
            else:
                problems.append(_at(document, path, "PB311",
                                    f"'{relation.pattern}' is a pattern; {relation.type} joins anti-patterns",
                                    hint=f"list it under refactor_to: {{pattern: {relation.pattern}, why: ...}}"))
        seen: set[str] = set()
        for index, target in enumerate(bundle.refactor_to):
            path = ("refactor_to", index, "pattern")
            if target == slug:
                problems.append(_at(document, path, "PB307", "an anti-pattern cannot refactor toward itself"))
            elif target not in known_slugs:
                problems.append(_at(document, path, "PB302", f"no pattern '{target}' in this catalogue",
                                    hint=did_you_mean(target, known_slugs)))
            elif kinds.get(target) == "anti-pattern":
                problems.append(_at(document, path, "PB311",
                                    f"'{target}' is an anti-pattern; refactor_to must name a pattern",
                                    hint=f"relate the two with {{type: leads_to, pattern: {target}}} instead"))
            elif target in patterns and patterns[target].status == "deprecated":
                successor = patterns[target].superseded_by
                problems.append(_at(document, path, "PB311",
                                    f"'{target}' is deprecated; refactor toward a live pattern",
                                    hint=f"name its successor '{successor}'" if successor else ""))
            if target in seen:
                problems.append(_at(document, ("refactor_to", index), "PB207",
                                    f"'{target}' is listed twice in refactor_to"))
            seen.add(target)
    return problems


def check_reviews(patterns: dict[str, PatternOutline], documents: dict[str, YamlDocument],
                  today: datetime.date) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for slug, pattern in patterns.items():
        due = pattern.last_reviewed + datetime.timedelta(days=pattern.review_interval_days)
        if pattern.last_reviewed > today:
            problems.append(_at(documents[slug], ("last_reviewed",), "PB207",
                                f"last_reviewed {pattern.last_reviewed} is in the future"))
        elif due < today:
            problems.append(_at(
                documents[slug], ("last_reviewed",), "PB304",
                f"review was due on {due} ({(today - due).days} days ago)",
                hint="review the pattern and update last_reviewed", severity=Severity.WARNING))
    return problems


def check_series(catalogue: CatalogueFile, document: YamlDocument,
                 known_slugs: frozenset[str]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for s_index, series in enumerate(catalogue.series):
        seen: set[str] = set()
        for p_index, slug in enumerate(series.patterns):
            path = ("series", s_index, "patterns", p_index)
            if slug not in known_slugs:
                problems.append(_at(document, path, "PB305",
                                    f"series '{series.id}' lists '{slug}', which is not in this catalogue",
                                    hint=did_you_mean(slug, known_slugs)))
            if slug in seen:
                problems.append(_at(document, path, "PB207", f"'{slug}' appears twice in series '{series.id}'"))
            seen.add(slug)
    return problems


def check_series_kinds(catalogue: CatalogueFile, document: YamlDocument,
                       patterns: dict[str, PatternOutline]) -> list[Diagnostic]:
    """A series is a reading path through patterns; an anti-pattern in it would be skipped
    silently by the series page, so it is an error where it is written."""
    problems: list[Diagnostic] = []
    for s_index, series in enumerate(catalogue.series):
        for p_index, slug in enumerate(series.patterns):
            if slug in patterns and patterns[slug].kind == "anti-pattern":
                problems.append(_at(document, ("series", s_index, "patterns", p_index), "PB311",
                                    f"series '{series.id}' lists '{slug}', an anti-pattern; series list patterns",
                                    hint="the patterns it refactors toward link back to it"))
    return problems


def _duplicates(ids: Iterable[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    repeated = []
    for index, identifier in enumerate(ids):
        if identifier in seen:
            repeated.append((index, identifier))
        seen.add(identifier)
    return repeated


def check_catalogue_vocabulary(catalogue: CatalogueFile, document: YamlDocument) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    lists = {
        "categories": ([c.id for c in catalogue.categories], "id"),
        "series": ([s.id for s in catalogue.series], "id"),
        "symptoms": ([s.id for s in catalogue.symptoms], "id"),
        "tags": (catalogue.tags, None),
        "repository_hosts": (catalogue.repository_hosts, None),
    }
    for name, (ids, key) in lists.items():
        for index, identifier in _duplicates(ids):
            path = (name, index, key) if key else (name, index)
            problems.append(_at(document, path, "PB308", f"'{identifier}' is defined twice in {name}"))
    return problems


#: Cyrillic and Greek letters drawn like Latin ones (Unicode's confusables for
#: the scripts a catalogue is likely to mix), folded to the Latin letter.
_LOOK_ALIKES = str.maketrans(
    "авсеһіјкмнорѕтхуԁԛԝӏαβεικνορτυχϲϳ",
    "abceһijkmhopstxydqwlabeiknoptuxcj".replace("һ", "h"),
)


def title_skeleton(title: str) -> str:
    """What a title looks like, for telling titles apart: compatibility forms
    folded (NFKC: full-width letters, ligatures), case folded, look-alike letters
    of other scripts mapped to Latin, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", title).casefold().translate(_LOOK_ALIKES)
    return " ".join(folded.split())


def check_unique_titles(patterns: dict[str, PatternOutline], documents: dict[str, YamlDocument]) -> list[Diagnostic]:
    """Folder names make slugs unique; a copied bundle shows up as a repeated
    title, and so does one that differs only in look-alike characters."""
    problems: list[Diagnostic] = []
    first: dict[str, str] = {}
    for slug in sorted(patterns):
        title = title_skeleton(patterns[slug].title)
        if title in first:
            problems.append(_at(documents[slug], ("title",), "PB301",
                                f"'{patterns[slug].title}' is also the title of {first[title]}",
                                hint="was this bundle copied? give it its own title"))
        else:
            first[title] = slug
    return problems
