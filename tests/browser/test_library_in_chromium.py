"""The built library in a real browser: loading, search, diagrams, dark scheme,
small screens, keyboard use, accessibility and no third-party requests."""

from __future__ import annotations

import io

import pytest

from tests.browser.conftest import accessibility_violations, loaded_at_once, save_screenshot

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


#: True once the search dialog shows the answer to the last query typed: each keystroke starts a query
#: and sets the status to "Searching…", and only the last query's answer replaces it (an earlier prefix's
#: hits, shown while the reader was still typing, are no answer to the whole query).
_ANSWERED = """() => {
  const status = document.querySelector('.pb-search__status');
  return status !== null && status.textContent !== 'Searching…' && document.querySelector('.pb-search__hit') !== null;
}"""


def _search(tab: object, query: str) -> None:
    tab.keyboard.type(query, delay=20)
    tab.wait_for_function(_ANSWERED, timeout=15_000)


def test_search_shows_title_summary_category_and_status_and_opens_a_result(page: object, site_url: str) -> None:
    page.goto(site_url + PATTERN)
    page.locator("[data-pb-search-open]").click()
    _search(page, "Circuit breaker")
    first = page.locator(".pb-search__hit").first
    assert first.locator(".pb-search__hit-title").inner_text() == "Circuit breaker"
    assert first.locator(".pb-status").inner_text() in {"Draft", "Reviewed", "Proven", "Deprecated"}
    assert first.locator(".pb-search__hit-category").inner_text() == "Reliability"
    assert first.locator(".pb-search__hit-summary").inner_text().startswith("Stop calling a failing dependency")
    first.locator("a").click()
    page.wait_for_url("**/patterns/circuit-breaker/")
    assert page.console_errors == []
    _only_own_host(page, site_url)


def test_keyboard_alone_searches_filters_and_opens_a_result(page: object, site_url: str) -> None:
    page.goto(site_url)
    page.keyboard.press("s")  # "/" works too
    _search(page, "queue")
    page.keyboard.press("Tab")  # the Filters disclosure
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # Category: Foundations
    page.keyboard.press("Tab")  # Category: Reliability
    page.keyboard.press("Space")
    page.wait_for_function("""() => [...document.querySelectorAll('.pb-search__hit-category')]
        .every(node => node.textContent === 'Reliability')""")
    categories = page.locator(".pb-search__hit-category").all_inner_texts()
    assert categories and set(categories) == {"Reliability"}
    for _ in range(3):
        page.keyboard.press("Shift+Tab")  # back to the search field
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expected = page.locator(".pb-search__link").first.get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == expected
    page.keyboard.press("Enter")
    page.wait_for_url("**" + expected)
    assert page.console_errors == []
    _only_own_host(page, site_url)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_dialog_is_accessible_in_both_schemes(browser: object, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(site_url + PATTERN)
    tab.keyboard.press("/")
    _search(tab, "retry storm")
    tab.locator(".pb-search__filters summary").click()
    dialog_background = tab.evaluate("getComputedStyle(document.querySelector('.pb-search')).backgroundColor")
    assert (dialog_background == "rgb(255, 255, 255)") == (scheme == "light")
    save_screenshot(tab, f"search-{scheme}")
    assert accessibility_violations(tab, within=".pb-search") == []
    context.close()


def _drawn_colours(png: bytes) -> int:
    """How many distinct colours a screenshot holds: a blank or broken image has one or two."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 200))
    return len(image.getcolors(maxcolors=200 * 200) or [])


def test_diagram_is_drawn_with_its_icons(page: object, site_url: str) -> None:
    page.goto(site_url + PATTERN)
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
    tabs = {path: context.new_page() for path in ("", PATTERN, "categories/reliability/",
                                                  "patterns/built-for-scale-that-never-comes/")}
    for path, tab in loaded_at_once(tabs, site_url):
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
    save_screenshot(tabs[PATTERN], "pattern-mobile")  # still at the top: nothing scrolled it
    context.close()
