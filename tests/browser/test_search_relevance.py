"""Relevance: readers' queries against the real Pagefind index of the shipped catalogue,
run through the site's own search script in Chromium (synonyms, misspellings and
ranking included). At least 90 % of the committed set must put every expected
pattern in the first three results."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

RELEVANCE_SET = Path(__file__).parents[1] / "postbuild" / "relevance.yaml"
PASS_RATE = 0.9
TOP = 3


def _cases() -> list[dict]:
    return yaml.safe_load(RELEVANCE_SET.read_text(encoding="utf-8"))["queries"]


def test_the_relevance_set_is_large_and_names_real_patterns() -> None:
    from tests.conftest import PROJECT

    cases = _cases()
    assert len(cases) >= 40
    assert len({case["query"] for case in cases}) == len(cases)
    shipped = {path.name for path in (PROJECT / "patterns").iterdir() if path.is_dir()}
    for case in cases:
        assert case["expect"] and set(case["expect"]) <= shipped, case


def test_readers_queries_find_the_expected_patterns_in_the_top_three(browser: object, site_url: str) -> None:
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(site_url)
    failures = []
    cases = _cases()
    for case in cases:
        urls = tab.evaluate("query => window.patternbookSearch.query(query).then(f => f.hits.map(h => h.url))",
                            case["query"])
        top = [url.strip("/").rsplit("/", 1)[-1] for url in urls[:TOP]]
        if not set(case["expect"]) <= set(top):
            failures.append((case["query"], case["expect"], top))
    tab.close()
    assert errors == []
    passed = len(cases) - len(failures)
    assert passed / len(cases) >= PASS_RATE, f"{passed}/{len(cases)} passed; failing: {failures}"
