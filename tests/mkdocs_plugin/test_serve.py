"""``mkdocs serve`` with the plugin: edits to bundles and templates reload, and a
bundle that stops validating shows its diagnostics while the server keeps running."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.mkdocs_plugin.serving import fetch as _fetch
from tests.mkdocs_plugin.serving import free_port as _free_port
from tests.mkdocs_plugin.serving import wait_until as _wait_until

pytestmark = pytest.mark.site




@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    project = copy_project(tmp_path / "library", small=True)  # what serving does needs no more
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_until(lambda: _fetch(base + "patterns/minimal-valid/") is not None, timeout=120)
        yield project, base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_broken_bundle_shows_diagnostics_and_the_server_keeps_running(served, tmp_path: Path) -> None:
    project, base, process = served
    bundle = project / "patterns" / "minimal-valid" / "pattern.yaml"
    original = bundle.read_text()
    bundle.write_text(original.replace("when_not_to_use:", "when_not_to_usse:"))
    _wait_until(lambda: "does not validate" in (_fetch(base + "patterns/minimal-valid/") or ""))
    page = _fetch(base + "patterns/minimal-valid/")
    assert "patterns/minimal-valid/pattern.yaml:" in page and "PB202" in page
    assert process.poll() is None
    assert "Neighbour pattern" in (_fetch(base + "patterns/neighbour-pattern/") or "")
    log = (tmp_path / "serve.log").read_text()
    assert "patterns/minimal-valid/pattern.yaml:" in log and "PB202" in log

    bundle.write_text(original)
    _wait_until(lambda: "Breaks first" in (_fetch(base + "patterns/minimal-valid/") or ""))


def test_template_edit_reloads(served) -> None:
    project, base, _ = served
    template = project / "templates" / "pattern.md.j2"
    template.write_text(template.read_text().replace("Breaks first", "Fails before the others"))
    _wait_until(lambda: "Fails before the others" in (_fetch(base + "patterns/minimal-valid/") or ""))
