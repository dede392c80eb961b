"""The built library in a real browser: loading, search, diagrams, dark scheme,
small screens, keyboard use, accessibility and no third-party requests."""

from __future__ import annotations

import io

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser

PATTERN = "patterns/circuit-breaker/"


def _only_own_host(tab: object, site_url: str) -> None:
    foreign = [url for url in tab.requested if not url.startswith((site_url, "data:", "blob:"))]
    assert foreign == []


def test_home_loads_without_console_errors_or_foreign_requests(page: object, site_url: str) -> None:
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().rstrip("¶") == "Architecture patterns"
    assert page.locator(".pb-card").count() >= 5
    assert page.console_errors == []
    _only_own_host(page, site_url)
    save_screenshot(page, "home")


def test_search_finds_a_pattern_and_opens_it(page: object, site_url: str) -> None:
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Circuit breaker", delay=20)  # Material searches on key events, not on a filled value
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    assert "circuit-breaker" in result.get_attribute("href")
    result.click()
    page.wait_for_url("**/patterns/circuit-breaker/**")
    assert page.locator("h1").inner_text().rstrip("¶") == "Circuit breaker"


def test_keyboard_alone_reaches_search_and_a_result(page: object, site_url: str) -> None:
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut for the search field
    page.keyboard.type("dead letter", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/patterns/dead-letter-queue/**")
    assert "Dead letter" in page.locator("h1").inner_text()


def _drawn_colours(png: bytes) -> int:
    """How many distinct colours a screenshot holds: a blank or broken image has one or two."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 200))
    return len(image.getcolors(maxcolors=200 * 200) or [])


def test_diagram_is_drawn_with_its_icons(page: object, site_url: str) -> None:
    page.goto(site_url + PATTERN)
    page.wait_for_load_state("networkidle")
    diagram = page.locator(".pb-diagram img").first
    diagram.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=diagram.element_handle())
    box = diagram.bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    assert _drawn_colours(diagram.screenshot()) > 50  # icons are coloured bitmaps, text alone is not
    assert diagram.get_attribute("alt").startswith("An API Gateway endpoint")
    assert page.console_errors == []
    _only_own_host(page, site_url)
    save_screenshot(page, "pattern-light")


def test_dark_scheme_keeps_the_diagram_legible(page: object, site_url: str) -> None:
    page.goto(site_url + PATTERN)
    page.wait_for_load_state("networkidle")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    diagram = page.locator(".pb-diagram img").first
    diagram.scroll_into_view_if_needed()
    background = diagram.evaluate("img => getComputedStyle(img).backgroundColor")
    assert background == "rgb(255, 255, 255)"  # the diagram keeps its light card on the dark page
    assert _drawn_colours(diagram.screenshot()) > 50
    page.evaluate("window.scrollTo(0, 0)")
    save_screenshot(page, "pattern-dark")


def test_small_screen_has_no_horizontal_scroll(browser: object, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    tab = context.new_page()
    for path in ("", PATTERN, "categories/reliability/", "patterns/built-for-scale-that-never-comes/"):
        tab.goto(site_url + path)
        tab.wait_for_load_state("networkidle")
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
    tab.goto(site_url + PATTERN)
    save_screenshot(tab, "pattern-mobile")
    context.close()


@pytest.mark.parametrize("path", ["", "categories/reliability/", PATTERN, "discover/patterns/", "discover/pillars/",
                                  "discover/finder/", "series/reliability-foundations/", "discover/relations/",
                                  "compare/blue-green-deployment-vs-canary-with-slo-rollback/",
                                  "patterns/synchronous-call-chain/", "categories/integration/"])
def test_no_serious_or_critical_accessibility_violations(page: object, site_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
