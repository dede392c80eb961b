"""The Content-Security-Policy in Chromium: the library works under it with no
violation and no console error, and it stops script the site did not ship. The
same page loads are checked for accessibility (axe-core) and foreign requests."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import SERIOUS, _QuietHandler, accessibility_violations, loaded_at_once, watched_tab

pytestmark = pytest.mark.browser

#: Records every violation the page reports, before any of the page's own script runs.
_RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (event) => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));
"""


def _discovery_paths(site: Path) -> list[str]:
    """Every discovery page, and one page of each template that is built many times (a series, a
    comparison): the inline scripts and styles a page may run come from its template, never from a
    bundle's text, so a second page of the same template meets the same policy."""
    pages = sorted(site.glob("discover/*/index.html")) + sorted(site.glob("series/*/index.html"))[:1]
    pages += sorted(site.glob("compare/*/index.html"))[:1]
    return [str(page.parent.relative_to(site)) + "/" for page in pages]


#: Pages of the kinds the discovery pages do not cover: categories, a pattern, an anti-pattern.
CONTENT_PAGES = ("", "categories/reliability/", "categories/integration/", "patterns/circuit-breaker/",
                 "patterns/synchronous-call-chain/")


def _visit(tab: object, url: str) -> None:
    tab.goto(url)
    tab.wait_for_load_state("networkidle")


def test_library_runs_under_the_policy_without_violations(browser: object, site_url: str, built_site: Path) -> None:
    """One page of each kind, each loaded once in a tab of its own: no serious or critical
    accessibility violation as loaded (axe-core, before anything is clicked), no policy violation
    while its scripts are used (search, filters, sorting, the maps), no console error and no request
    to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.add_init_script(_RECORD_VIOLATIONS)
    violations: list[str] = []
    inaccessible: dict[str, list] = {}

    def collect(tab: object, where: str) -> None:
        violations.extend(f"{where}: {v}" for v in tab.evaluate("window.__violations"))

    discovery = _discovery_paths(built_site)
    assert {"discover/patterns/", "discover/finder/", "discover/pillars/", "discover/relations/"} <= set(discovery)
    # Each page in a tab of its own, loading at once; each is used as it was when visited in turn.
    tabs = {path: watched_tab(context) for path in [*CONTENT_PAGES, *discovery]}
    for path, tab in loaded_at_once(tabs, site_url):
        assert tab.locator("h1").count() >= 1, path
        found = accessibility_violations(tab, impacts=SERIOUS)
        if found:
            inaccessible[path or "/"] = found
        if path == "":
            tab.locator("[data-pb-search-open]").click()  # Pagefind: script, worker and WebAssembly under the policy
            tab.locator(".pb-search__input").fill("circuit breaker")
            tab.locator(".pb-search__hit").first.wait_for(timeout=15_000)
            tab.keyboard.press("Escape")
            collect(tab, "home and search")
        elif path == "patterns/circuit-breaker/":
            tab.locator(".pb-neighbourhood svg a").first.hover()
            collect(tab, "pattern page")
        else:
            if path == "discover/patterns/":
                tab.locator("input[name=category][value=reliability]").check()
                assert "category=reliability" in tab.url
            elif path == "discover/finder/":
                tab.locator("#pb-symptom").select_option("dependency-latency-cascades")
                assert tab.locator("[data-pb-symptom]:visible").count() == 1
            elif path == "discover/pillars/":
                tab.locator("button[data-pb-sort=security]").click()
            elif path == "discover/relations/":
                tab.locator('.pb-map-node[data-slug="circuit-breaker"]').first.click()
                tab.wait_for_url("**/patterns/circuit-breaker/")
            collect(tab, path)
    assert inaccessible == {}
    assert violations == []
    assert [error for tab in tabs.values() for error in tab.console_errors] == []
    foreign = [url for tab in tabs.values() for url in tab.requested
               if not url.startswith((site_url, "data:", "blob:"))]
    assert foreign == []
    context.close()


def test_every_page_carries_the_policy(built_site: Path) -> None:
    policy = (built_site / "content-security-policy.txt").read_text().strip()
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # The shipped site ships Pagefind's WebAssembly and one inline <style> (the no-JavaScript rules).
    for directive in ("script-src 'self' 'wasm-unsafe-eval' 'sha256-", "style-src 'self' 'sha256-",
                      "object-src 'none'", "base-uri 'none'", "img-src 'self' data:"):
        assert directive in policy
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        head = page.read_text()[:4000]
        assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in head, page


@pytest.fixture(scope="module")
def tampered_site_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the built site with script injected after the build, as if escaping had failed."""
    site = tmp_path_factory.mktemp("tampered") / "site"
    shutil.copytree(built_site, site)
    page = site / "patterns" / "circuit-breaker" / "index.html"
    injected = ('<p><button id="injected-handler" onclick="window.__ran.push(\'handler\')">press</button>'
                '<a id="injected-link" href="javascript:window.__ran.push(\'link\')">follow</a>'
                "<script>window.__ran.push('script')</script></p>")
    html = page.read_text()
    page.write_text(re.sub(r"(<h1\b)", lambda m: injected + m.group(1), html, count=1))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_injected_handler_and_javascript_link_are_blocked(browser: object, tampered_site_url: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    tab.add_init_script(_RECORD_VIOLATIONS + "window.__ran = [];")
    _visit(tab, tampered_site_url + "patterns/circuit-breaker/")
    tab.locator("#injected-handler").click()
    tab.locator("#injected-link").click()
    tab.wait_for_timeout(300)
    assert tab.evaluate("window.__ran") == []
    blocked = tab.evaluate("window.__violations")
    assert sum("script-src" in v for v in blocked) >= 3, blocked  # the handler, the link, the script
    assert tab.locator("h1").first.inner_text().startswith("Circuit breaker")  # the page itself still works
    context.close()
