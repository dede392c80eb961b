"""The adoption radar: one linked, labelled blip per ringed bundle, the same drawing on every
build, well-formed SVG with contributor text escaped, moved blips marked. In-process, on the
fixture catalogue (no site build)."""

from __future__ import annotations

import datetime
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from patternbook.catalogue import Catalogue
from patternbook.history import CatalogueHistory, Change, RingChange
from patternbook.pages.radar import radar_blips, radar_page, radar_svg
from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY, FIXTURE_CATALOGUE, compare_golden

CASES = Path(__file__).parents[1] / "validation" / "cases" / "positive"
GOLDEN = Path(__file__).parent / "golden" / "radar.svg"
TODAY = datetime.date.fromisoformat(FIXED_TODAY)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    root = tmp_path_factory.mktemp("radar") / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, root)
    for case in CASES.iterdir():
        shutil.copytree(case, root / case.name, ignore=shutil.ignore_patterns("expected.txt"))
    report = validate_paths([root], today=TODAY)
    assert report.catalogue is not None and not report.errors, [d.format() for d in report.errors]
    return Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)


def link(slug: str) -> str:
    return f"../../patterns/{slug}/"


def _drawn(catalogue: Catalogue, history: CatalogueHistory | None = None) -> str:
    return radar_svg(catalogue, radar_blips(catalogue, history, TODAY), link)


def test_radar_matches_golden(catalogue: Catalogue, update_goldens: bool) -> None:
    compare_golden(_drawn(catalogue) + "\n", GOLDEN, update_goldens)


def test_every_ringed_bundle_has_exactly_one_linked_labelled_blip(catalogue: Catalogue) -> None:
    root = ElementTree.fromstring(_drawn(catalogue))
    blips = [a for a in root.iter(f"{SVG}a") if "pb-radar-blip" in a.get("class", "")]
    hrefs = [a.get("href") for a in blips]
    ringed = sorted(b.slug for b in catalogue.entries.values() if b.adoption)
    assert ringed == ["neighbour-anti-pattern", "neighbour-pattern", "priced-cost-model"]
    assert sorted(hrefs) == [link(slug) for slug in ringed]
    for blip in blips:
        bundle = catalogue.entries[blip.get("data-slug")]
        assert bundle.title in blip.get("aria-label") and bundle.title in blip.find(f"{SVG}title").text


def test_two_renders_are_identical(catalogue: Catalogue) -> None:
    reordered = Catalogue.from_models(catalogue.definitions, dict(reversed(catalogue.patterns.items())),
                                      dict(reversed(catalogue.anti_patterns.items())))
    assert _drawn(catalogue) == _drawn(catalogue) == _drawn(reordered)


def test_a_hostile_title_is_text_in_the_svg_and_the_table(catalogue: Catalogue) -> None:
    hostile = '</title><script>alert(1)</script>" onload="x" &amp;'
    pattern = catalogue.patterns["neighbour-pattern"].model_copy(update={"title": hostile})
    poisoned = Catalogue.from_models(catalogue.definitions, {**catalogue.patterns, pattern.slug: pattern},
                                     catalogue.anti_patterns)
    svg = _drawn(poisoned)
    root = ElementTree.fromstring(svg)  # well-formed: the title ended nothing
    assert not list(root.iter(f"{SVG}script")) and "<script" not in svg
    labels = [a.get("aria-label") for a in root.iter(f"{SVG}a")]
    assert any(hostile in label for label in labels)
    from patternbook.pages.site import _Renderer

    [(_, page)] = radar_page(poisoned, _Renderer(None).render, None, TODAY)
    assert "<script" not in page and "&lt;/title&gt;&lt;script&gt;" in page


def test_a_recent_ring_move_is_a_triangle_pointing_the_way_it_moved(catalogue: Catalogue) -> None:
    moved = Change("a" * 40, datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC), "Adopt it")
    older = Change("b" * 40, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), "Start")
    history = CatalogueHistory(True, rings={
        "priced-cost-model": (RingChange("priced-cost-model", None, "trial", older),
                              RingChange("priced-cost-model", "trial", "adopt", moved)),
        "neighbour-pattern": (RingChange("neighbour-pattern", "adopt", "trial", older),)})
    blips = {b.bundle.slug: b for b in radar_blips(catalogue, history, TODAY)}
    assert blips["priced-cost-model"].moved == 1  # in, 31 days ago
    assert blips["neighbour-pattern"].moved == 0  # out, but 304 days ago: outside the 90-day window
    root = ElementTree.fromstring(_drawn(catalogue, history))
    triangles = [a.get("data-slug") for a in root.iter(f"{SVG}a") if a.find(f"{SVG}path") is not None]
    assert triangles == ["priced-cost-model"]
