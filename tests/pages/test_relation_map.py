"""The catalogue-wide relation graph, laid out without Graphviz: every pattern a link,
every relation drawn once, safe markup, and a layout that scales to 1,000 patterns."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

from patternbook.catalogue import Catalogue
from patternbook.pages.relation_map import relation_map
from patternbook.schema import Relation
from patternbook.validation import validate_paths
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    report = validate_paths([PROJECT / "patterns"])
    return Catalogue.from_models(report.catalogue, report.patterns)


def _scaled(shipped: Catalogue, copies: int) -> Catalogue:
    """``copies`` × the shipped catalogue, relations pointing inside each copy."""
    patterns = {}
    for copy in range(copies):
        for slug, pattern in shipped.patterns.items():
            relations = [Relation(type=r.type, pattern=f"{r.pattern}-{copy}", note=r.note) for r in pattern.relations]
            patterns[f"{slug}-{copy}"] = pattern.model_copy(update={"slug": f"{slug}-{copy}",
                                                                    "title": f"{pattern.title} {copy}",
                                                                    "relations": relations})
    return Catalogue.from_models(shipped.definitions, patterns)


def test_every_pattern_is_a_named_link_and_every_relation_is_drawn_once(shipped: Catalogue) -> None:
    drawn = relation_map(shipped, "../../patterns/")
    root = ElementTree.fromstring(drawn.svg)
    namespace = "{http://www.w3.org/2000/svg}"
    links = root.iter(f"{namespace}a")
    hrefs = {link.get("href"): link.get("aria-label") for link in links}
    assert set(hrefs) == {f"../../patterns/{slug}/" for slug in shipped.patterns}
    assert all(label for label in hrefs.values())
    edges = list(root.iter(f"{namespace}line"))
    assert len(edges) == drawn.relation_count > 0
    pairs = {(e.get("data-from"), e.get("data-to"), e.get("data-type")) for e in edges}
    assert len(pairs) == len(edges)
    assert drawn.pattern_count == len(shipped.patterns)


def test_titles_are_escaped_and_nothing_points_elsewhere(shipped: Catalogue) -> None:
    pattern = shipped.patterns["bulkhead"]
    hostile = pattern.model_copy(update={"title": 'Bulk <script>alert(1)</script> "x"'})
    catalogue = Catalogue.from_models(shipped.definitions, {**shipped.patterns, "bulkhead": hostile})
    svg = relation_map(catalogue, "../../patterns/").svg
    assert "<script" not in svg
    ElementTree.fromstring(svg)  # still well-formed
    assert not re.search(r'href="(?!\.\./\.\./patterns/)', svg.replace('href="#', ""))


def test_a_thousand_patterns_lay_out_without_overlap(shipped: Catalogue) -> None:
    large = _scaled(shipped, 32)  # 1,024 patterns
    drawn = relation_map(large, "../../patterns/")  # how fast: benchmarks/, not here
    assert drawn.pattern_count == len(large.patterns) >= 1000
    assert drawn.relation_count >= 32 * relation_map(shipped, "").relation_count
    positions = re.findall(r'<rect x="(-?\d+)" y="(-?\d+)" width="168"', drawn.svg)
    assert len(set(positions)) == len(large.patterns)  # no two nodes on the same spot
