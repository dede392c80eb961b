"""Anti-pattern pages and their place in the discovery pages, from the fixture
catalogue (which holds one anti-pattern, ``neighbour-anti-pattern``)."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from patternbook.catalogue import Catalogue
from patternbook.pages import SiteOptions, plan_site
from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY, PROJECT, compare_golden

GOLDEN = Path(__file__).parent / "golden"
POSITIVE = Path(__file__).parents[1] / "validation" / "cases" / "positive"


@pytest.fixture
def pages(catalogue_dir: Path) -> dict[str, str]:
    for case in sorted(POSITIVE.iterdir()):
        shutil.copytree(case, catalogue_dir / case.name)
    report = validate_paths([catalogue_dir], today=datetime.date.fromisoformat(FIXED_TODAY), strict=True)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert set(report.anti_patterns) == {"neighbour-anti-pattern", "minimal-anti-pattern"}
    catalogue = Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)
    options = SiteOptions(datetime.date.fromisoformat(FIXED_TODAY), "https://example.test/edit/{slug}")
    return {page.path: page.content for page in plan_site(catalogue, PROJECT / "templates", options).pages}


def _headings(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)


def test_anti_pattern_page_matches_golden(pages: dict[str, str], update_goldens: bool) -> None:
    compare_golden(pages["patterns/minimal-anti-pattern.md"], GOLDEN / "minimal-anti-pattern.md", update_goldens)


def test_anti_pattern_page_has_its_own_sections_and_none_of_a_patterns(pages: dict[str, str]) -> None:
    page = pages["patterns/minimal-anti-pattern.md"]
    assert _headings(page) == ["What it looks like", "Why teams fall into it", "Signals that you are in it",
                               "How it fails", "When living with it is reasonable", "Refactor toward",
                               "Related anti-patterns", "References"]
    assert 'class="pb-badge pb-kind pb-kind--anti-pattern">Anti-pattern<' in page
    assert "pb-meta--anti-pattern" in page
    # The refactoring target is a card linking to the pattern page, with the reason given.
    assert '<a class="pb-card pb-card--refactor" href="../neighbour-pattern/">' in page
    assert "A queue lets the burst wait in line" in page
    # solution.md's sections land under their own headings: the shape first, the way out last.
    assert page.index("Several callers invoke one consumer") < page.index("## Why teams fall into it")
    assert page.index("Put a queue between the callers") > page.index("## Refactor toward")
    pattern_page = pages["patterns/minimal-valid.md"]
    assert {"Cost", "Operations", "Companion repositories"} <= set(_headings(pattern_page))


def test_pattern_page_lists_the_anti_patterns_it_helps_leave(pages: dict[str, str]) -> None:
    page = pages["patterns/neighbour-pattern.md"]
    assert "Anti-patterns it helps you leave" in page
    assert '<a href="../neighbour-anti-pattern/">Neighbour anti-pattern</a>' in page
    assert '<a href="../minimal-anti-pattern/">Minimal anti-pattern</a>' in page
    assert "Anti-patterns it helps you leave" not in pages["patterns/other-neighbour.md"]


def test_discovery_pages_show_anti_patterns_as_such(pages: dict[str, str]) -> None:
    facets = pages["discover/patterns.md"]
    assert '<input type="checkbox" name="kind" value="anti-pattern"> Anti-pattern' in facets
    item = re.search(r'<li data-pb-item data-kind="anti-pattern"[^>]*><a href="../../patterns/minimal-anti-pattern/"',
                     facets)
    assert item, "the anti-pattern is listed with its kind as a facet value"
    finder = pages["discover/finder.md"]
    section = finder[finder.index('data-pb-symptom="spikes-overwhelm"'):]
    assert section.index("Often caused by") < section.index("../../patterns/neighbour-anti-pattern/")
    pillars = pages["discover/pillars.md"]
    assert "Anti-patterns and the pillars they erode" in pillars
    assert 'aria-label="Erodes reliability: A burst against the consumer' in pillars
    category = pages["categories/reliability.md"]
    assert "Anti-patterns in this category" in category
    assert category.index("Anti-patterns in this category") < category.index("../../patterns/minimal-anti-pattern/")
