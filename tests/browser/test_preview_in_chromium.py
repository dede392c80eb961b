"""A pull-request preview in Chromium: the banner is the first thing on the page,
at every width, and covers nothing of Material's header."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def preview_url(preview_site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(preview_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_preview_banner_is_visible_above_the_header(browser: object, preview_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.goto(preview_url + "patterns/minimal-valid/")
    tab.wait_for_load_state("networkidle")
    banner = tab.locator(".pb-preview-banner")
    assert banner.is_visible()
    assert banner.inner_text().startswith("Preview of pull request 42")
    box, header = banner.bounding_box(), tab.locator(".md-header").bounding_box()
    assert box is not None and header is not None
    assert box["y"] == 0 and box["height"] >= 20 and box["width"] == width
    assert header["y"] >= box["y"] + box["height"] - 1  # the banner covers nothing
    assert banner.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(183, 28, 28)"
    assert errors == []
    save_screenshot(tab, f"preview-banner-{width}")
    context.close()
