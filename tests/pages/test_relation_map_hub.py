"""A hub: a pattern 1,000 bundles relate to still gets its page, in bounded time.

Its neighbourhood graph used to be one ``dot`` graph of 1,001 nodes, which ``dot``
did not finish within its 30 s ("relations: Graphviz dot did not finish"), and the
build stopped. Now the nearest :data:`NEIGHBOURHOOD_LIMIT` are drawn and the page
says how many more there are, pointing at the relation graph, which has them all.
"""

from __future__ import annotations

import datetime
import re
import time
from pathlib import Path

import pytest

from patternbook.catalogue import NEIGHBOURHOOD_LIMIT, Catalogue
from patternbook.diagrams import NEIGHBOURHOOD_EDGE_LIMIT, render_neighbourhood_graphs
from patternbook.pages import PageRenderer, RelationGraphs, SiteOptions, plan_bundle_page
from patternbook.pages.relation_map import relation_map
from patternbook.schema import Relation
from patternbook.validation import validate_paths
from tests.conftest import FIXTURE_CATALOGUE

HUB = "hub"
SPOKES = 1000


@pytest.fixture(scope="module")
def hub_catalogue() -> Catalogue:
    """The valid bundles of the fixture catalogue, a hub that complements one of them,
    and 1,000 tiny bundles that each relate to the hub (every other one ``complements``
    it, the rest ``requires`` it), listed in no order."""
    report = validate_paths([FIXTURE_CATALOGUE])
    template = report.patterns["other-neighbour"]
    patterns = dict(report.patterns)
    patterns[HUB] = template.model_copy(update={"slug": HUB, "title": "Hub",
                                                "relations": [Relation(type="complements", pattern=template.slug)]})
    for index in reversed(range(SPOKES)):
        slug = f"spoke-{index:04d}"
        relation = Relation(type="complements" if index % 2 else "requires", pattern=HUB)
        patterns[slug] = template.model_copy(update={"slug": slug, "title": f"Spoke {index:04d}",
                                                     "relations": [relation]})
    return Catalogue.from_models(report.catalogue, patterns, report.anti_patterns)


@pytest.fixture(scope="module")
def hub_svg(hub_catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, float]:
    started = time.perf_counter()
    drawn = render_neighbourhood_graphs(hub_catalogue, tmp_path_factory.mktemp("cache"),
                                        link=lambda slug: f"../{slug}/", slugs=[HUB])
    return drawn[HUB], time.perf_counter() - started


def test_the_nearest_come_first_and_always_in_the_same_order(hub_catalogue: Catalogue) -> None:
    nearest = hub_catalogue.neighbours(HUB)
    assert len(nearest) == SPOKES + 1
    # What the hub names itself, then what names it: by relation type as the schema
    # declares them (complements before requires), then by slug.
    complementing = sorted(f"spoke-{i:04d}" for i in range(1, SPOKES, 2))
    requiring = sorted(f"spoke-{i:04d}" for i in range(0, SPOKES, 2))
    assert nearest == ["other-neighbour", *complementing, *requiring]
    drawn = hub_catalogue.neighbourhood(HUB, NEIGHBOURHOOD_LIMIT)
    assert set(drawn.entries) == {HUB, *nearest[:NEIGHBOURHOOD_LIMIT]}


def test_the_hub_neighbourhood_is_drawn_in_bounded_time_with_the_nearest_only(hub_svg: tuple[str, float]) -> None:
    svg, seconds = hub_svg
    assert seconds < 20  # dot gave up after 30 s on the whole neighbourhood; this is ~1 s
    linked = set(re.findall(r'xlink:href="\.\./([^"/]+)/"', svg))
    assert len(linked) == NEIGHBOURHOOD_LIMIT + 1
    assert {HUB, "other-neighbour", "spoke-0001"} <= linked
    assert f"the {NEIGHBOURHOOD_LIMIT} nearest of {SPOKES + 1}" in svg


def test_the_hub_page_says_how_many_more_relate_to_it(hub_catalogue: Catalogue, hub_svg: tuple[str, float]) -> None:
    options = SiteOptions(today=datetime.date(2026, 11, 1))
    renderer = PageRenderer(None)
    page = plan_bundle_page(hub_catalogue, HUB, options, renderer, RelationGraphs({HUB: hub_svg[0]}))
    more = SPOKES + 1 - NEIGHBOURHOOD_LIMIT
    assert f"and {more} more patterns relate to this one" in page.content
    assert '<a href="../../discover/relations/">relation graph</a>' in page.content
    # A page whose neighbourhood is drawn whole says nothing of the kind.
    spoke = plan_bundle_page(hub_catalogue, "spoke-0001", options, renderer, RelationGraphs({"spoke-0001": "<svg/>"}))
    assert "more patterns relate" not in spoke.content and "<svg/>" in spoke.content


def test_the_relation_graph_holds_every_spoke(hub_catalogue: Catalogue) -> None:
    started = time.perf_counter()
    drawn = relation_map(hub_catalogue, "../../patterns/")
    assert time.perf_counter() - started < 2
    assert drawn.pattern_count == len(hub_catalogue.entries)
    assert drawn.relation_count >= SPOKES


def test_the_page_of_every_bundle_is_planned(hub_catalogue: Catalogue, tmp_path: Path) -> None:
    """Every spoke's page too, without drawing: pages of a 1,000-spoke catalogue in bounded time."""
    options = SiteOptions(today=datetime.date(2026, 11, 1))
    renderer = PageRenderer(None)
    started = time.perf_counter()
    for slug in hub_catalogue.entries:
        plan_bundle_page(hub_catalogue, slug, options, renderer)
    assert time.perf_counter() - started < 60


def test_a_densely_related_neighbourhood_draws_a_bounded_number_of_relations(tmp_path: Path) -> None:
    """31 patterns that each relate to the next 20: some 400 relations among the drawn
    neighbours, which took ``dot`` 13 s; the centre's own relations are drawn first."""
    report = validate_paths([FIXTURE_CATALOGUE])
    template = report.patterns["other-neighbour"]
    types = ["alternative_to", "complements", "requires", "part_of", "conflicts_with", "supersedes"]
    count = 200
    patterns = {}
    for index in range(count):
        relations = [Relation(type=types[(index + step) % len(types)], pattern=f"p-{(index + step) % count:04d}")
                     for step in range(1, 21)]
        patterns[f"p-{index:04d}"] = template.model_copy(update={
            "slug": f"p-{index:04d}", "title": f"Pattern {index:04d}", "relations": relations})
    catalogue = Catalogue.from_models(report.catalogue, patterns)
    started = time.perf_counter()
    svg = render_neighbourhood_graphs(catalogue, tmp_path, link=lambda slug: f"../{slug}/", slugs=["p-0000"])["p-0000"]
    assert time.perf_counter() - started < 20
    edges = re.findall(r'<g id="[^"]*" class="edge">\s*<title>([^<]*)</title>', svg)
    assert len(edges) == NEIGHBOURHOOD_EDGE_LIMIT
    assert sum("p&#45;0000" in title or "p-0000" in title for title in edges) == 20 + 10  # its own, and those naming it
