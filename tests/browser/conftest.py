"""Debian's Chromium driven by Playwright against the built site on localhost.

Playwright's own browser download does not work on our machines; the test
set-up (scripts/test) installs Debian's ``chromium`` package instead. The
``browser`` fixture itself is in tests/conftest.py: Playwright's synchronous API
runs one instance per process, and tests/engines drives the same browser.

A page is ready once ``goto`` returns: the library's scripts start on ``DOMContentLoaded``,
before the ``load`` event ``goto`` waits for, and fetch nothing later (search loads on first
use). Only a test about late activity (console errors, requests to other hosts, policy
violations) also waits for the network to be idle, which costs at least half a second a page.
After a click that opens another page, wait for something of that page (its URL or heading).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PROJECT

ARTIFACTS = PROJECT / "test-artifacts"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def watched_tab(context: object) -> object:
    """A new tab of ``context`` that records console errors and every address it requests."""
    tab = context.new_page()
    tab.console_errors = []  # type: ignore[attr-defined]
    tab.requested = []  # type: ignore[attr-defined]
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    tab.on("request", lambda request: tab.requested.append(request.url))
    return tab


@pytest.fixture
def page(browser: object, site_url: str) -> Iterator[object]:
    """A fresh page that records console errors and every host it contacts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    yield watched_tab(context)
    context.close()


def loaded_at_once(tabs: dict[str, object], base: str) -> Iterator[tuple[str, object]]:
    """Each of ``tabs`` (by path under ``base``) once its page has loaded and its network has
    been idle for half a second, in order, brought to the front (a tab behind the others draws
    no frames, so hovering or clicking in it would wait). The pages all start loading at once,
    so their idle waits overlap instead of adding up."""
    for path, tab in tabs.items():
        tab.goto(base + path, wait_until="commit")
    for path, tab in tabs.items():
        tab.wait_for_load_state("load")
        tab.wait_for_load_state("networkidle")
        tab.bring_to_front()
        yield path, tab


#: The impacts a page of the library may not have at all.
SERIOUS = ("serious", "critical")


def accessibility_violations(tab: object, *, within: str | None = None,
                             impacts: tuple[str, ...] | None = None) -> list[tuple[str, str, list]]:
    """axe-core's violations in the tab (or in the part the selector ``within`` picks), of the given
    impacts (None: all), each with up to three of its elements. Only violations are collected (axe's
    ``resultTypes``): detailing the passed and undecided checks is half of axe's time, and no test
    reads them."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, context=within, options={"resultTypes": ["violations"]})
    return [(violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
            for violation in results.response["violations"] if impacts is None or violation["impact"] in impacts]


def save_screenshot(tab: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=False)
    return path
