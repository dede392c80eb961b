"""A real ``patternbook serve`` on a copy of the small catalogue: an edit reaches its page,
a broken edit shows its diagnostics (escaped) and fixing it recovers, the preview never writes
the site folder, once settled it holds what a full build writes, and SIGINT/SIGTERM stop it cleanly."""

from __future__ import annotations

import filecmp
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from patternbook.scaffold import write_starter_catalogue
from patternbook.serve.server import RELOAD_SCRIPT_PATH
from tests.conftest import copy_project
from tests.mkdocs_plugin.serving import fetch as _fetch
from tests.mkdocs_plugin.serving import free_port as _free_port
from tests.mkdocs_plugin.serving import raw_request
from tests.mkdocs_plugin.serving import wait_until as _wait_until

pytestmark = pytest.mark.site

ENVIRONMENT = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ENVIRONMENT.pop("SOURCE_DATE_EPOCH", None)  # the shipped patterns are reviewed up to today
SETTLED = "listing pages and search updated"




@dataclass
class Preview:
    project: Path
    base: str
    process: subprocess.Popen
    log: Path

    @property
    def site_dir(self) -> Path:
        return self.project / ".cache" / "patternbook" / f"preview-{self.process.pid}" / "site"

    def page(self, slug: str) -> str:
        return _fetch(f"{self.base}patterns/{slug}/") or ""

    def settled(self) -> int:
        return self.log.read_text(errors="replace").count(SETTLED)

    def wait_settled(self, before: int) -> None:
        _wait_until(lambda: self.settled() > before, timeout=300)


def start_preview(project: Path, log: Path) -> Preview:
    port = _free_port()
    handle = log.open("w")
    process = subprocess.Popen([sys.executable, "-m", "patternbook", "serve", "-a", f"127.0.0.1:{port}"],
                               cwd=project, stdout=handle, stderr=subprocess.STDOUT, env=ENVIRONMENT)
    handle.close()
    preview = Preview(project, f"http://127.0.0.1:{port}/", process, log)
    try:
        _wait_until(lambda: process.poll() is not None or _fetch(preview.base) is not None, timeout=300)
    except AssertionError:
        process.kill()
        raise
    assert process.poll() is None, log.read_text()
    return preview


def stop_preview(preview: Preview, how: signal.Signals) -> int:
    if preview.process.poll() is None:
        preview.process.send_signal(how)
    return preview.process.wait(timeout=60)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    folder = tmp_path_factory.mktemp("serve")
    # The small catalogue: what a preview does with an edit does not depend on how many bundles
    # there are, and the full builds it starts (and the one it is compared with) take a second.
    running = start_preview(copy_project(folder / "library", small=True), folder / "serve.log")
    try:
        yield running
    finally:
        assert stop_preview(running, signal.SIGTERM) == 0, running.log.read_text()[-3000:]
        assert not running.site_dir.parent.exists(), "the preview folder is removed on exit"


def _set_summary(bundle: Path, summary: str) -> None:
    lines = bundle.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[index] = f"summary: {summary}\n"
    bundle.write_text("".join(lines), encoding="utf-8")


def _differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [f"only in {left.name}: {n}" for n in comparison.left_only]
    found += [f"only in {right.name}: {n}" for n in comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    found += [f"differs: {n}" for n in mismatch + errors]
    for name in comparison.common_dirs:
        found += [f"{name}/{d}" for d in _differences(left / name, right / name)]
    return found


def test_an_edit_reaches_its_page_then_the_preview_is_what_a_full_build_writes(preview: Preview,
                                                                             tmp_path: Path) -> None:
    bundle = preview.project / "patterns" / "minimal-valid" / "pattern.yaml"
    original = bundle.read_text(encoding="utf-8")
    marker = "Puts a queue in front of a slow consumer (edited in the preview)"
    before = preview.settled()
    _set_summary(bundle, f'"{marker}"')
    _wait_until(lambda: marker in preview.page("minimal-valid"))
    served = preview.page("minimal-valid")
    assert f'<script src="{RELOAD_SCRIPT_PATH}" data-since="' in served
    preview.wait_settled(before)
    # The category page lists the pattern with its summary: it follows with the full build.
    assert marker in (_fetch(preview.base + "catalogue.json") or "")
    assert not (preview.project / "site").exists(), "the preview never writes the published site folder"

    full = tmp_path / "full"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(full)], cwd=preview.project,
                   env=ENVIRONMENT, check=True, capture_output=True)
    # Byte for byte: the reload script is added while a page is sent, never written to the folder.
    assert _differences(full, preview.site_dir) == []
    on_disk = (preview.site_dir / "patterns" / "minimal-valid" / "index.html").read_text(encoding="utf-8")
    script = f'<script src="{re.escape(RELOAD_SCRIPT_PATH)}" data-since="[0-9]+"></script></body>'
    assert re.sub(script, "</body>", preview.page("minimal-valid")) == on_disk

    before = preview.settled()
    bundle.write_text(original, encoding="utf-8")
    _wait_until(lambda: marker not in preview.page("minimal-valid"))
    preview.wait_settled(before)


def test_a_broken_edit_shows_its_diagnostics_escaped_and_fixing_it_recovers(preview: Preview) -> None:
    bundle = preview.project / "patterns" / "minimal-valid" / "pattern.yaml"
    original = bundle.read_text(encoding="utf-8")
    before = preview.settled()
    bundle.write_text(original + '"<img src=x onerror=alert(1)>": hostile\n', encoding="utf-8")
    _wait_until(lambda: "does not validate" in preview.page("minimal-valid"))
    page = preview.page("minimal-valid")
    line = original.count("\n") + 1
    assert f"patterns/minimal-valid/pattern.yaml:{line}:1: PB202" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert preview.process.poll() is None
    preview.wait_settled(before)
    assert "does not validate" in preview.page("minimal-valid")  # the full build agrees
    assert "Neighbour pattern" in (_fetch(preview.base + "patterns/neighbour-pattern/") or "")

    before = preview.settled()
    bundle.write_text(original, encoding="utf-8")
    _wait_until(lambda: "does not validate" not in preview.page("minimal-valid"))
    assert "Minimal valid pattern" in preview.page("minimal-valid")
    preview.wait_settled(before)


def test_the_command_answers_only_the_host_names_of_its_address(preview: Preview) -> None:
    """``-a 127.0.0.1:PORT`` reaches the server's host check (the checks themselves: test_server.py)."""
    port = int(preview.base.rstrip("/").rpartition(":")[2])
    assert raw_request(port, b"/", b"evil.example").status == 421
    assert raw_request(port, b"/.patternbook/events?since=0", b"evil.example", read_body=False).status == 421
    assert raw_request(port, b"/", f"localhost:{port}".encode()).status == 200
    assert raw_request(port, b"/" + b"a" * 300).status == 404
    assert "Traceback" not in preview.log.read_text(errors="replace")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_server_its_full_build_and_removes_the_preview(tmp_path: Path,
                                                                          how: signal.Signals) -> None:
    project = tmp_path / "catalogue"
    write_starter_catalogue(project, site_name="Stops cleanly", repo_url=None, today=time.strftime("%Y-%m-%d"))
    running = start_preview(project, tmp_path / "serve.log")
    assert running.site_dir.is_dir()
    example = next(p for p in (project / "patterns").iterdir() if (p / "pattern.yaml").is_file())
    _set_summary(example / "pattern.yaml", '"An edit that starts a full build in a child process"')
    _wait_until(lambda: "An edit that starts a full build" in running.page(example.name))
    # The full build it started may still run: the signal must stop that child too.
    children = subprocess.run(["pgrep", "-P", str(running.process.pid)], capture_output=True, text=True)
    assert stop_preview(running, how) == 0, running.log.read_text()[-3000:]
    assert not running.site_dir.parent.exists()
    assert _fetch(running.base) is None
    assert [pid for pid in children.stdout.split() if Path(f"/proc/{pid}").exists()] == []
    assert not (project / "site").exists()
