"""``patternbook serve`` (``patternbook.serve``) in Chromium: the page a contributor is looking
at reloads by itself when its bundle is saved,
under the site's own Content-Security-Policy (the reload script is a same-origin file)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from patternbook.scaffold import write_starter_catalogue
from tests.serve.test_serve_command import _set_summary, start_preview, stop_preview

pytestmark = [pytest.mark.browser, pytest.mark.site]


def test_the_open_page_follows_edits_broken_and_fixed_with_no_policy_violation(tmp_path: Path,
                                                                               browser: object) -> None:
    project = tmp_path / "catalogue"
    write_starter_catalogue(project, site_name="Live reload", repo_url=None, today=time.strftime("%Y-%m-%d"))
    bundle = next(p for p in (project / "patterns").iterdir() if (p / "pattern.yaml").is_file())
    original = (bundle / "pattern.yaml").read_text(encoding="utf-8")
    running = start_preview(project, tmp_path / "serve.log")
    problems: list[str] = []
    try:
        context = browser.new_context()
        try:
            tab = context.new_page()
            tab.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            tab.on("pageerror", lambda error: problems.append(str(error)))
            tab.goto(f"{running.base}patterns/{bundle.name}/")
            assert tab.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
            tab.evaluate("window.__notReloaded = true")
            tab.wait_for_timeout(500)

            _set_summary(bundle / "pattern.yaml", '"Seen in the browser without touching it, after one save"')
            tab.get_by_text("Seen in the browser without touching it").first.wait_for(timeout=120_000)
            assert tab.evaluate("window.__notReloaded === undefined")  # the page reloaded itself

            (bundle / "pattern.yaml").write_text(original.replace("summary:", "summry:", 1), encoding="utf-8")
            tab.get_by_text("does not validate").first.wait_for(timeout=120_000)
            assert tab.get_by_text("PB202").count() >= 1

            (bundle / "pattern.yaml").write_text(original, encoding="utf-8")
            tab.get_by_role("heading", level=1).filter(has_not_text="does not validate").first.wait_for(
                timeout=120_000)
        finally:
            context.close()
    finally:
        assert stop_preview(running, signal.SIGTERM) == 0
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert problems == []
