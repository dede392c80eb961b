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
from patternbook.schema import PILLARS, Pattern

__all__ = ["RelationGraphs", "catalogue_document", "catalogue_document_schema", "comparison_id", "discovery_pages"]


@dataclass(frozen=True)
class RelationGraphs:
    """Inline SVGs from the diagrams layer, handed in by the adapter (pages never render graphs)."""

    catalogue: str | None = None
    """The whole catalogue's relation graph; node links are relative to a page one level deep."""
    neighbourhoods: dict[str, str] = field(default_factory=dict)
    """Per pattern slug: its own neighbourhood, links relative to the pattern page."""


def _facets(pattern: Pattern) -> dict[str, list[str]]:
    return {
        "category": [pattern.category],
        "pillar": list(pattern.pillars.served()),
        "status": [pattern.status],
        "iac": sorted({r.iac for r in pattern.repositories}),
        "tag": list(pattern.tags),
    }


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

    facet_values: dict[str, list[str]] = {"category": [c.id for c in catalogue.categories],
                                          "pillar": list(PILLARS),
                                          "status": ["draft", "reviewed", "proven", "deprecated"]}
    facet_values["iac"] = sorted({r.iac for p in patterns for r in p.repositories})
    facet_values["tag"] = sorted({t for p in patterns for t in p.tags})
    present = {name: {v for p in patterns for v in _facets(p)[name]} for name in facet_values}
    pages.append(("discover/patterns.md", render(
        "discover/patterns.md.j2",
        items=[(p, f"../../patterns/{p.slug}/", _facets(p)) for p in patterns],
        facets={name: [v for v in values if v in present[name]] for name, values in facet_values.items()},
        categories=categories)))

    pages.append(("discover/pillars.md", render(
        "discover/pillars.md.j2", pillars=PILLARS,
        rows=[(p, f"../../patterns/{p.slug}/", p.pillars.served()) for p in patterns])))

    if graphs.catalogue:
        pages.append(("discover/relations.md", render(
            "discover/relations.md.j2", svg=Markup(graphs.catalogue), edge_count=len(catalogue.relation_edges()),
            pattern_count=len(patterns))))

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
        front = front_matter({"title": " vs ".join(p.title for p in group)})
        pages.append((f"compare/{identifier}.md", front + render("discover/compare.md.j2", columns=columns)))
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


def discovery_nav(catalogue: Catalogue, has_graph: bool) -> list[dict[str, Any]]:
    nav: list[dict[str, Any]] = [{"All patterns": "discover/patterns.md"}, {"Problem finder": "discover/finder.md"},
                                 {"Pillar matrix": "discover/pillars.md"}]
    if has_graph:
        nav.append({"Relation graph": "discover/relations.md"})
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
    return strict_json(document)
