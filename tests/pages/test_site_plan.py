"""Page Markdown from the fixture catalogue, compared with golden files
(``--update-goldens`` rewrites them)."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from patternbook.catalogue import Catalogue
from patternbook.pages import SiteOptions, plan_site, render_prose
from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY, PROJECT, compare_golden

GOLDEN = Path(__file__).parent / "golden"
CASES = Path(__file__).parents[1] / "validation" / "cases"


@pytest.fixture
def catalogue(catalogue_dir: Path) -> Catalogue:
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue_dir / "minimal-valid")
    report = validate_paths([catalogue_dir], today=datetime.date.fromisoformat(FIXED_TODAY))
    assert report.ok
    return Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)


def _plan(catalogue: Catalogue, today: str):
    options = SiteOptions(datetime.date.fromisoformat(today), "https://example.test/edit/{slug}")
    return {page.path: page.content for page in plan_site(catalogue, PROJECT / "templates", options).pages}


def test_pattern_page_matches_golden(catalogue: Catalogue, update_goldens: bool) -> None:
    pages = _plan(catalogue, FIXED_TODAY)
    compare_golden(pages["patterns/minimal-valid.md"], GOLDEN / "minimal-valid.md", update_goldens)
    compare_golden(pages["index.md"], GOLDEN / "index.md", update_goldens)
    compare_golden(pages["categories/reliability.md"], GOLDEN / "category-reliability.md", update_goldens)


def test_stale_badge_appears_only_past_the_review_interval(catalogue: Catalogue) -> None:
    fresh = _plan(catalogue, FIXED_TODAY)["patterns/minimal-valid.md"]
    stale = _plan(catalogue, "2027-06-01")["patterns/minimal-valid.md"]
    assert "pb-stale" not in fresh
    assert "Stale: review overdue" in stale and "Review was due on 2027-03-30" in stale


def test_navigation_leaves_pattern_pages_out(catalogue: Catalogue) -> None:
    plan = plan_site(catalogue, PROJECT / "templates", SiteOptions(datetime.date(2026, 11, 1)))
    assert "patterns/" not in repr(plan.nav)
    assert {"Tags": "tags.md"} in plan.nav


def test_prose_is_sanitised_even_if_validation_were_bypassed() -> None:
    html = render_prose(
        "## Flow\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://example.test/)\n\n"
        "![i](data:image/png;base64,AAAA) {: onclick=alert(1) }\n")
    assert "<script" not in html and "javascript:" not in html and "data:image" not in html
    assert 'href="https://example.test/"' in html
    assert "<h3>Flow</h3>" in html
    assert "onclick=" not in html.replace("{: onclick=alert(1) }", "")
