"""Discovery pages: facets, pillar matrix, relation graph, series, comparisons,
the problem finder and ``catalogue.json`` — all generated from the validated
models, none of it hand-maintained."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from patternbook.catalogue import Catalogue
from patternbook.escaping import front_matter, strict_json
from patternbook.pages.cost import PERIOD_NOTE, compare_costs
from patternbook.pages.relation_map import RELATION_STYLES, relation_map
from patternbook.schema import KINDS, PILLARS, AntiPattern, Pattern
from patternbook.schema.terms import IAC_TITLES, PILLAR_TITLES, STATUS_TITLES

__all__ = ["FACET_TITLES", "RelationGraphs", "catalogue_document", "catalogue_document_schema", "comparison_id",
           "discovery_pages", "facet_vocabulary", "pattern_facets"]

#: The facets readers filter by, in the order the facets page and search show them.
FACET_TITLES = {"category": "Category", "pillar": "Pillar", "status": "Status", "ring": "Adoption ring",
                "iac": "IaC tool", "tag": "Tag"}


@dataclass(frozen=True)
class RelationGraphs:
    """Inline SVGs from the diagrams layer, handed in by the adapter (pages never run Graphviz)."""

    neighbourhoods: dict[str, str] = field(default_factory=dict)
    """Per pattern slug: its own neighbourhood, links relative to the pattern page."""


def _ring(bundle: Pattern | AntiPattern) -> list[str]:
    return [bundle.adoption.ring] if bundle.adoption else []


def pattern_facets(pattern: Pattern | AntiPattern) -> dict[str, list[str]]:
    """The values a bundle has for each facet (:data:`FACET_TITLES`, plus its kind)."""
    if isinstance(pattern, AntiPattern):
        # Pillar and IaC facets mean "serves" and "ships code in": an anti-pattern has neither.
        return {"kind": ["anti-pattern"], "category": [pattern.category], "pillar": [], "status": [pattern.status],
                "ring": _ring(pattern), "iac": [], "tag": list(pattern.tags)}
    return {
        "kind": ["pattern"],
        "category": [pattern.category],
        "pillar": list(pattern.pillars.served()),
        "status": [pattern.status],
        "ring": _ring(pattern),
        "iac": sorted({r.iac for r in pattern.repositories}),
        "tag": list(pattern.tags),
    }


def facet_vocabulary(catalogue: Catalogue) -> dict[str, list[tuple[str, str]]]:
    """Per facet, the (value, title) pairs that at least one pattern has, in the
    order readers see them: the facets page and the search filters share it."""

    patterns = list(catalogue.patterns.values())
    ordered: dict[str, list[str]] = {
        "category": [c.id for c in catalogue.categories],
        "pillar": list(PILLARS),
        "status": list(STATUS_TITLES),
        "ring": list(catalogue.definitions.adoption.ring_ids),
        "iac": sorted({r.iac for p in patterns for r in p.repositories}),
        "tag": sorted({t for p in patterns for t in p.tags}),
    }
    present = {name: {v for p in patterns for v in pattern_facets(p)[name]} for name in ordered}
    # A ring is a stance on bundles of every kind: "hold" is mostly anti-patterns.
    present["ring"] = {v for b in catalogue.entries.values() for v in _ring(b)}
    titles: dict[str, dict[str, str]] = {
        "category": {c.id: c.title for c in catalogue.categories}, "pillar": PILLAR_TITLES,
        "status": STATUS_TITLES, "ring": catalogue.definitions.adoption.ring_titles, "iac": IAC_TITLES, "tag": {},
    }
    return {name: [(value, titles[name].get(value, value)) for value in values if value in present[name]]
            for name, values in ordered.items()}


def _operational_burden(pattern: Pattern) -> int:
    operations = pattern.operations
    return (len(operations.monitoring.alarms) + len(operations.runbooks) + len(operations.skills)
            + len(operations.toil))


def discovery_pages(catalogue: Catalogue, render: Any, reading_minutes: Any,
                    graphs: RelationGraphs) -> list[tuple[str, str]]:
    """(docs path, Markdown) for every discovery page."""
    patterns = sorted(catalogue.patterns.values(), key=lambda p: p.title.casefold())
    anti_patterns = sorted(catalogue.anti_patterns.values(), key=lambda a: a.title.casefold())
    listed: list[Pattern | AntiPattern] = sorted([*patterns, *anti_patterns], key=lambda p: p.title.casefold())
    categories = {c.id: c for c in catalogue.categories}
    pages: list[tuple[str, str]] = []

    facets = {name: [value for value, _ in values] for name, values in facet_vocabulary(catalogue).items()}
    if anti_patterns:  # with one kind only, a kind facet would filter nothing
        facets = {"kind": list(KINDS), **facets}
    pages.append(("discover/patterns.md", render(
        "discover/patterns.md.j2",
        items=[(p, f"../../patterns/{p.slug}/", pattern_facets(p)) for p in listed],
        facets=facets,
        facet_titles={"kind": "Kind", **FACET_TITLES},
        ring_titles=catalogue.definitions.adoption.ring_titles,
        categories=categories)))

    pages.append(("discover/pillars.md", render(
        "discover/pillars.md.j2", pillars=PILLARS,
        rows=[(p, f"../../patterns/{p.slug}/", p.pillars.served()) for p in patterns],
        harm_rows=[(a, f"../../patterns/{a.slug}/", a.harms.served()) for a in anti_patterns])))

    drawn = relation_map(catalogue, "../../patterns/")
    pages.append(("discover/relations.md", render(
        "discover/relations.md.j2", svg=Markup(drawn.svg), edge_count=drawn.relation_count,
        pattern_count=drawn.pattern_count, categories=catalogue.categories, relation_styles=RELATION_STYLES,
        patterns=patterns, anti_pattern_count=len(anti_patterns))))

    symptoms = [(s, [(p, f"../../patterns/{p.slug}/") for p in catalogue.ranked_for_symptom(s.id)],
                 [(a, f"../../patterns/{a.slug}/") for a in catalogue.producing(s.id)])
                for s in catalogue.symptoms]
    pages.append(("discover/finder.md", render("discover/finder.md.j2",
                                               symptoms=[entry for entry in symptoms if entry[1] or entry[2]])))

    series_entries = []
    for series in catalogue.series:
        members = [catalogue.patterns[slug] for slug in series.patterns if slug in catalogue.patterns]
        minutes = [(p, f"../../patterns/{p.slug}/", reading_minutes(p)) for p in members]
        total = sum(m for _, _, m in minutes)
        series_entries.append((series, len(members), total))
        front = front_matter({"title": series.title, "description": series.description})
        pages.append((f"series/{series.id}.md", front + render("discover/series.md.j2", series=series,
                                                                members=minutes, total=total)))
    if catalogue.series:
        pages.append(("series/index.md", render("discover/series-index.md.j2", entries=series_entries)))

    groups = catalogue.alternative_groups()
    comparisons = []
    for group in groups:
        identifier = comparison_id([p.slug for p in group])
        columns = [{
            "pattern": p, "url": f"../../patterns/{p.slug}/", "category": categories[p.category].title,
            "edges": len(p.failure_edges), "first_edge": p.failure_edges[0].fails,
            "burden": _operational_burden(p), "pillars": p.pillars.served(),
        } for p in group]
        costs, currencies = compare_costs(list(group))
        for column, cost in zip(columns, costs, strict=True):
            column["monthly"] = cost
        front = front_matter({"title": " vs ".join(p.title for p in group)})
        pages.append((f"compare/{identifier}.md", front + render(
            "discover/compare.md.j2", columns=columns, currencies=currencies,
            period_note=PERIOD_NOTE if any(c.converted_from for c in costs) else None)))
        comparisons.append((identifier, group))
    if comparisons:
        pages.append(("compare/index.md", render("discover/compare-index.md.j2", comparisons=comparisons)))
    return pages


#: Slugs never hold two hyphens in a row, so this separator cannot occur inside one.
COMPARISON_SEPARATOR = "--vs--"
MAX_COMPARISON_ID = 120


def comparison_id(slugs: list[str]) -> str:
    """The page name of a comparison group: its slugs joined by a separator no
    slug can contain, so two groups never share a name. A name too long for a
    file system keeps its start and ends in a digest of the whole."""
    joined = COMPARISON_SEPARATOR.join(slugs)
    if len(joined) <= MAX_COMPARISON_ID:
        return joined
    digest = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
    return joined[:MAX_COMPARISON_ID - 18].rstrip("-") + "--" + digest


def discovery_nav(catalogue: Catalogue) -> list[dict[str, Any]]:
    nav: list[dict[str, Any]] = [{"All patterns": "discover/patterns.md"}, {"Problem finder": "discover/finder.md"},
                                 {"Pillar matrix": "discover/pillars.md"}, {"Relation graph": "discover/relations.md"}]
    if catalogue.series:
        nav.append({"Series": "series/index.md"})
    if catalogue.alternative_groups():
        nav.append({"Comparisons": "compare/index.md"})
    return nav


def catalogue_document(catalogue: Catalogue) -> dict[str, Any]:
    """``catalogue.json``: the validated catalogue as data for other tools.

    Each bundle kind gets its own list (named as the catalogue's mapping of it), so a
    tool reading ``patterns`` for costs or repositories never meets an entry without
    them; every entry carries ``kind``.
    """
    return {
        "categories": [c.model_dump(mode="json") for c in catalogue.categories],
        "series": [s.model_dump(mode="json") for s in catalogue.series],
        "symptoms": [s.model_dump(mode="json") for s in catalogue.symptoms],
        **{kind.catalogue_field: [b.model_dump(mode="json", by_alias=True) for b in bundles.values()]
           for kind, bundles in catalogue.by_kind()},
    }


def catalogue_document_schema() -> dict[str, Any]:
    """JSON Schema of ``catalogue.json``, generated from the same models."""
    from pydantic import create_model

    from patternbook.schema import BUNDLE_KINDS, Category, Series, Symptom

    # One list per bundle kind, as catalogue_document writes them; the schema's title is the model's name.
    document_model = create_model(
        "CatalogueDocument", categories=(list[Category], ...), series=(list[Series], ...),
        symptoms=(list[Symptom], ...),
        **{kind.catalogue_field: (list[kind.model], ...) for kind in BUNDLE_KINDS.values()})  # type: ignore[call-overload]

    schema = document_model.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Patternbook catalogue.json"
    return schema


def as_json(document: dict[str, Any], *, compact: bool = False) -> str:
    return strict_json(document, compact=compact)
