"""The adoption radar in Chromium: readable on a 375 px phone (it scrolls sideways rather than
shrinking its numbers below legibility) and in the dark scheme, without JavaScript."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: The smallest blip number, in CSS pixels, that a reader can make out on a phone.
LEGIBLE_PX = 8.5


@pytest.mark.parametrize(("width", "scheme"), [(375, "light"), (375, "dark"), (1280, "dark")])
def test_the_radar_is_legible_at_phone_width_and_in_both_schemes(browser: object, site_url: str, width: int,
                                                                   scheme: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 812}, color_scheme=scheme,
                                  java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(site_url + "discover/radar/")
        numbers = tab.locator(".pb-radar-blip text")
        assert numbers.count() > 0
        heights = numbers.evaluate_all("texts => texts.map(t => t.getBoundingClientRect().height)")
        assert min(heights) >= LEGIBLE_PX, min(heights)
        # The page itself never scrolls sideways: only the radar's own frame does, and it takes focus.
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        frame = tab.locator(".pb-radar-frame")
        assert frame.get_attribute("tabindex") == "0"
        # Lines and labels follow the scheme's text colour: never the page background.
        label = tab.locator(".pb-radar-sector").first.evaluate("e => getComputedStyle(e).fill")
        body = tab.evaluate("getComputedStyle(document.querySelector('.md-typeset')).color")
        assert label == body
    finally:
        context.close()
