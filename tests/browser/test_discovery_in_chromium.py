"""Discovery pages in Chromium, driven by keyboard alone."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _expect_title(tab: object, title: str) -> None:
    """Wait until the page that opened shows ``title`` as its heading (its permalink mark aside)."""
    from playwright.sync_api import expect

    expect(tab.locator("h1")).to_have_text(re.compile(rf"^{re.escape(title)}¶?$"))


def _focus_and(tab: object, selector: str, key: str) -> None:
    tab.locator(selector).focus()
    tab.keyboard.press(key)


def test_facet_narrows_the_list_and_the_url_carries_it(page: object, site_url: str) -> None:
    page.goto(site_url + "discover/patterns/")
    total = page.locator("[data-pb-item]").count()
    _focus_and(page, "input[name=category][value=reliability]", "Space")
    visible = page.locator("[data-pb-item]:visible")
    assert 0 < visible.count() < total
    assert "category=reliability" in page.url
    assert page.locator("[data-pb-count]").inner_text() == f"{visible.count()} of {total} patterns"
    titles = visible.locator("a").all_inner_texts()
    assert "Circuit breaker" in titles and "Feature flags" not in titles

    shared = page.url
    page.goto(site_url)
    page.goto(shared)  # a shared link restores the same view
    assert page.locator("input[name=category][value=reliability]").is_checked()
    assert page.locator("[data-pb-item]:visible").count() == len(titles)


def test_kind_facet_shows_only_anti_patterns_each_marked_as_such(page: object, site_url: str) -> None:
    page.goto(site_url + "discover/patterns/")
    total = page.locator("[data-pb-item]").count()
    _focus_and(page, "input[name=kind][value=anti-pattern]", "Space")
    visible = page.locator("[data-pb-item]:visible")
    assert 5 <= visible.count() < total
    assert "kind=anti-pattern" in page.url
    assert visible.locator(".pb-kind--anti-pattern").count() == visible.count()
    titles = visible.locator("a").all_inner_texts()
    assert "Chain of synchronous calls" in titles and "Circuit breaker" not in titles
    badge = visible.first.locator(".pb-kind--anti-pattern")
    assert badge.inner_text() == "Anti-pattern"
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(142, 27, 27)"
    # Anti-patterns have no pillar they serve: asking for one leaves none of them.
    _focus_and(page, "input[name=pillar][value=reliability]", "Space")
    assert page.locator("[data-pb-item]:visible").count() == 0
    _focus_and(page, "input[name=pillar][value=reliability]", "Space")

    visible.first.locator("a").first.click()  # the locators below wait for the page it opens
    head = page.locator(".pb-meta--anti-pattern")
    assert head.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(183, 28, 28)"
    page.locator(".pb-anti-pattern-note a[href=\"#refactor-toward\"]").click()
    assert page.locator("#refactor-toward").is_visible()
    assert page.locator(".pb-card--refactor").count() >= 2


def test_without_javascript_the_full_list_shows(browser: object, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "discover/patterns/?category=reliability")
    assert tab.locator("[data-pb-item]:visible").count() == tab.locator("[data-pb-item]").count() >= 30
    assert not tab.locator("[data-pb-facets]").is_visible()
    context.close()


def test_problem_finder_returns_the_expected_pattern(page: object, site_url: str) -> None:
    page.goto(site_url + "discover/finder/")
    page.locator("#pb-symptom").focus()
    page.locator("#pb-symptom").select_option("dependency-latency-cascades")  # what arrow keys do on a select
    visible = page.locator("[data-pb-symptom]:visible")
    assert visible.count() == 1
    assert visible.locator("li a").first.inner_text() == "Circuit breaker"
    assert "symptom=dependency-latency-cascades" in page.url


def test_series_previous_and_next_links_walk_the_path(page: object, site_url: str) -> None:
    page.goto(site_url + "series/reliability-foundations/")
    first, second = page.locator(".pb-series li a").all_inner_texts()[:2]
    assert "min" in page.locator(".pb-reading").first.inner_text()
    _focus_and(page, ".pb-series li a >> nth=0", "Enter")
    _expect_title(page, first)
    next_link = page.locator(".pb-series-nav a[rel=next]").first
    next_link.focus()
    page.keyboard.press("Enter")
    _expect_title(page, second)
    page.locator(".pb-series-nav a[rel=prev]").first.focus()
    page.keyboard.press("Enter")
    _expect_title(page, first)


def test_pillar_matrix_sorts_by_a_column_and_shows_reasons_on_focus(page: object, site_url: str) -> None:
    page.goto(site_url + "discover/pillars/")
    _focus_and(page, "button[data-pb-sort=security]", "Enter")
    first_row = page.locator(".pb-matrix tbody tr").first
    assert first_row.locator("td[data-security='1']").count() == 1
    mark = first_row.locator("td[data-security='1'] .pb-mark")
    mark.focus()
    assert mark.locator(".pb-tip").is_visible()


def test_relation_graph_nodes_link_to_their_pages(page: object, site_url: str) -> None:
    page.goto(site_url + "discover/relations/")
    links = page.locator(".pb-graph svg a")
    assert links.count() >= 30
    target = page.locator('.pb-graph svg a[href="../../patterns/circuit-breaker/"]').first
    target.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/patterns/circuit-breaker/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Circuit breaker"
    neighbourhood = page.locator(".pb-neighbourhood svg a")
    assert neighbourhood.count() >= 3
    neighbourhood.filter(has_text="Bulkhead").first.click()
    page.wait_for_url("**/patterns/bulkhead/")


def _view_box(tab: object) -> list[float]:
    return [float(v) for v in tab.locator("[data-pb-map]").get_attribute("viewBox").split()]


def test_relation_graph_filters_zooms_and_centres_a_found_pattern(page: object, site_url: str) -> None:
    page.goto(site_url + "discover/relations/")
    whole = _view_box(page)
    page.select_option("#pb-map-category", "security")
    visible = page.locator(".pb-map-node:visible")
    assert visible.count() >= 2
    assert set(visible.evaluate_all("nodes => nodes.map(n => n.dataset.category)")) == {"security"}
    page.locator("input[name=type][value=complements]").uncheck()
    assert page.locator('.pb-map-edge[data-type=complements]:visible').count() == 0
    page.select_option("#pb-map-category", "")
    page.locator("[data-zoom=reset]").click()
    page.locator("[data-zoom=in]").click()
    assert _view_box(page)[2] < whole[2]
    page.locator(".pb-map-frame").focus()
    before = _view_box(page)
    page.keyboard.press("ArrowRight")
    assert _view_box(page)[0] > before[0]
    page.fill("#pb-map-find", "Dead letter queue")
    page.keyboard.press("Enter")
    found = page.locator(".pb-map-node--found")
    assert found.get_attribute("data-slug") == "dead-letter-queue"
    assert page.evaluate("document.activeElement.dataset.slug") == "dead-letter-queue"
    box = found.locator("rect").bounding_box()
    frame = page.locator("[data-pb-map]").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert abs(centre[0] - (frame["x"] + frame["width"] / 2)) < frame["width"] * 0.1
    assert page.locator(".pb-map-status").inner_text() == "Dead letter queue centred."
    assert page.console_errors == []
