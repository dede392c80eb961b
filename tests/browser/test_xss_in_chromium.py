"""Cross-site-scripting payloads in every kind of contributor text, in a real
browser: no dialog opens and no script error appears on any page that shows them."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator

import pytest

from tests.browser.conftest import _QuietHandler, loaded_at_once
from tests.conftest import copy_project, mkdocs_build

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "</title><script>alert(3)</script>",
    "javascript:alert(4)",
    "<a href='javascript:alert(5)'>click</a>",
    "{{ 7 * 7 }} {% raw %}",
]


def _poison(text: str) -> str:
    """Put payloads into prose fields while keeping the bundle valid."""
    payload = " ".join(PAYLOADS)
    quoted = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    summary = quoted(f"Bulkheads {PAYLOADS[0]} {PAYLOADS[1]} {PAYLOADS[2]} keep one pool from starving others")
    text = re.sub(r"(?m)^summary: .*$", lambda _: f"summary: {summary}", text, count=1)
    title = quoted('Bulkhead "><svg onload=alert(6)></title>')
    text = re.sub(r"(?m)^title: .*$", lambda _: f"title: {title}", text, count=1)
    return re.sub(r"(?m)^(  - )([A-Z].*)$", lambda m: m.group(1) + quoted(f"{m.group(2)} {payload}"), text, count=4)


@pytest.fixture(scope="module")
def hostile_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "library")
    bundle = project / "patterns" / "bulkhead" / "pattern.yaml"
    bundle.write_text(_poison(bundle.read_text()))
    anti_pattern = project / "patterns" / "synchronous-call-chain" / "pattern.yaml"
    poisoned = _poison(anti_pattern.read_text()).replace('title: "Bulkhead', 'title: "Call chain', 1)
    poisoned = re.sub(r"(?m)^(    why: )(.*)$", lambda m: m.group(1) + json.dumps(f"{m.group(2)} {PAYLOADS[0]}"),
                      poisoned)
    anti_pattern.write_text(poisoned)
    solution = project / "patterns" / "bulkhead" / "solution.md"
    solution.write_text(solution.read_text()
                        + "\nSee `<script>alert(7)</script>` and [docs](https://example.test/'onmouseover='alert(8)).\n")
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


#: The pages that show the payloads: the poisoned pattern and anti-pattern, and every listing of them.
HOSTILE_PAGES = ("patterns/bulkhead/", "", "categories/reliability/", "tags/", "patterns/synchronous-call-chain/",
                 "patterns/queue-based-load-leveling/", "categories/integration/", "discover/patterns/",
                 "discover/finder/", "discover/pillars/")


def test_no_payload_executes_anywhere(browser: object, hostile_site_url: str) -> None:
    context = browser.new_context()
    dialogs: list[str] = []
    errors: list[str] = []

    def watched_tab() -> object:
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.on("pageerror", lambda error: errors.append(str(error)))
        return tab

    context.add_init_script("window.__executed = []; window.alert = (m) => window.__executed.push(String(m));")
    # Every page in a tab of its own, all loading at once: each is still waited for until its
    # network is idle (half a second with no request), but those waits overlap.
    tabs = {path: watched_tab() for path in HOSTILE_PAGES}
    for path, tab in loaded_at_once(tabs, hostile_site_url):
        tab.mouse.move(300, 300)
        for link in tab.locator(".pb-prose a").all():
            link.hover()
        assert tab.evaluate("window.__executed") == [], path
    tab = tabs[""]  # the home page, loaded and idle: search from it
    tab.bring_to_front()
    tab.keyboard.press("/")
    tab.keyboard.type("Bulkheads", delay=20)
    tab.locator(".pb-search__hit").first.wait_for(timeout=15_000)
    tab.wait_for_timeout(500)
    assert tab.evaluate("window.__executed") == []
    assert dialogs == [] and errors == []
    html = tabs["patterns/bulkhead/"].content()
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 4  # the payloads are on the page, as text
    assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    html = tabs["patterns/synchronous-call-chain/"].content()
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 8  # signals, refactor cards, summary
    assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    context.close()
