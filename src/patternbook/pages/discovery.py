"""Discovery pages: facets, pillar matrix, relation graph, series, comparisons,
the problem finder and ``catalogue.json`` — all generated from the validated
models, none of it hand-maintained."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from patternbook.catalogue import Catalogue
from patternbook.pages.relation_map import RELATION_STYLES, relation_map
from patternbook.schema import PILLARS, Pattern

__all__ = ["FACET_TITLES", "RelationGraphs", "catalogue_document", "catalogue_document_schema", "discovery_pages",
           "facet_vocabulary", "pattern_facets"]

#: The facets readers filter by, in the order the facets page and search show them.
FACET_TITLES = {"category": "Category", "pillar": "Pillar", "status": "Status", "iac": "IaC tool", "tag": "Tag"}


@dataclass(frozen=True)
class RelationGraphs:
    """Inline SVGs from the diagrams layer, handed in by the adapter (pages never run Graphviz)."""

    neighbourhoods: dict[str, str] = field(default_factory=dict)
    """Per pattern slug: its own neighbourhood, links relative to the pattern page."""


def pattern_facets(pattern: Pattern) -> dict[str, list[str]]:
    """The values a pattern has for each facet (:data:`FACET_TITLES`)."""
    return {
        "category": [pattern.category],
        "pillar": list(pattern.pillars.served()),
        "status": [pattern.status],
        "iac": sorted({r.iac for r in pattern.repositories}),
        "tag": list(pattern.tags),
    }


def facet_vocabulary(catalogue: Catalogue) -> dict[str, list[tuple[str, str]]]:
    """Per facet, the (value, title) pairs that at least one pattern has, in the
    order readers see them: the facets page and the search filters share it."""
    from patternbook.pages.site import IAC_TITLES, PILLAR_TITLES, STATUS_TITLES

    patterns = list(catalogue.patterns.values())
    ordered: dict[str, list[str]] = {
        "category": [c.id for c in catalogue.categories],
        "pillar": list(PILLARS),
        "status": list(STATUS_TITLES),
        "iac": sorted({r.iac for p in patterns for r in p.repositories}),
        "tag": sorted({t for p in patterns for t in p.tags}),
    }
    present = {name: {v for p in patterns for v in pattern_facets(p)[name]} for name in ordered}
    titles: dict[str, dict[str, str]] = {
        "category": {c.id: c.title for c in catalogue.categories}, "pillar": PILLAR_TITLES,
        "status": STATUS_TITLES, "iac": IAC_TITLES, "tag": {},
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
    categories = {c.id: c for c in catalogue.categories}
    pages: list[tuple[str, str]] = []

    facets = facet_vocabulary(catalogue)
    pages.append(("discover/patterns.md", render(
        "discover/patterns.md.j2",
        items=[(p, f"../../patterns/{p.slug}/", pattern_facets(p)) for p in patterns],
        facets={name: [value for value, _ in values] for name, values in facets.items()},
        categories=categories)))

    pages.append(("discover/pillars.md", render(
        "discover/pillars.md.j2", pillars=PILLARS,
        rows=[(p, f"../../patterns/{p.slug}/", p.pillars.served()) for p in patterns])))

    drawn = relation_map(catalogue, "../../patterns/")
    pages.append(("discover/relations.md", render(
        "discover/relations.md.j2", svg=Markup(drawn.svg), edge_count=drawn.relation_count,
        pattern_count=drawn.pattern_count, categories=catalogue.categories, relation_styles=RELATION_STYLES,
        patterns=patterns)))

    symptoms = [(s, [(p, f"../../patterns/{p.slug}/") for p in catalogue.ranked_for_symptom(s.id)])
                for s in catalogue.symptoms]
    pages.append(("discover/finder.md", render("discover/finder.md.j2",
                                               symptoms=[(s, found) for s, found in symptoms if found])))

    series_entries = []
    for series in catalogue.series:
        members = [catalogue.patterns[slug] for slug in series.patterns if slug in catalogue.patterns]
        minutes = [(p, f"../../patterns/{p.slug}/", reading_minutes(p)) for p in members]
        total = sum(m for _, _, m in minutes)
        series_entries.append((series, len(members), total))
        pages.append((f"series/{series.id}.md", render("discover/series.md.j2", series=series, members=minutes,
                                                        total=total)))
    if catalogue.series:
        pages.append(("series/index.md", render("discover/series-index.md.j2", entries=series_entries)))

    groups = catalogue.alternative_groups()
    comparisons = []
    for group in groups:
        identifier = "-vs-".join(p.slug for p in group)[:120]
        columns = [{
            "pattern": p, "url": f"../../patterns/{p.slug}/", "category": categories[p.category].title,
            "edges": len(p.failure_edges), "first_edge": p.failure_edges[0].fails,
            "burden": _operational_burden(p), "pillars": p.pillars.served(),
        } for p in group]
        pages.append((f"compare/{identifier}.md", render("discover/compare.md.j2", columns=columns)))
        comparisons.append((identifier, group))
    if comparisons:
        pages.append(("compare/index.md", render("discover/compare-index.md.j2", comparisons=comparisons)))
    return pages


def discovery_nav(catalogue: Catalogue) -> list[dict[str, Any]]:
    nav: list[dict[str, Any]] = [{"All patterns": "discover/patterns.md"}, {"Problem finder": "discover/finder.md"},
                                 {"Pillar matrix": "discover/pillars.md"}, {"Relation graph": "discover/relations.md"}]
    if catalogue.series:
        nav.append({"Series": "series/index.md"})
    if catalogue.alternative_groups():
        nav.append({"Comparisons": "compare/index.md"})
    return nav


def catalogue_document(catalogue: Catalogue) -> dict[str, Any]:
    """``catalogue.json``: the validated catalogue as data for other tools."""
    return {
        "categories": [c.model_dump(mode="json") for c in catalogue.categories],
        "series": [s.model_dump(mode="json") for s in catalogue.series],
        "symptoms": [s.model_dump(mode="json") for s in catalogue.symptoms],
        "patterns": [p.model_dump(mode="json", by_alias=True) for p in catalogue.patterns.values()],
    }


def catalogue_document_schema() -> dict[str, Any]:
    """JSON Schema of ``catalogue.json``, generated from the same models."""
    from pydantic import BaseModel

    from patternbook.schema import Category, Series, Symptom

    class CatalogueDocument(BaseModel):
        categories: list[Category]
        series: list[Series]
        symptoms: list[Symptom]
        patterns: list[Pattern]

    schema = CatalogueDocument.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Patternbook catalogue.json"
    return schema


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
