"""One real ``mkdocs build --strict`` of the handbook, as the deploy workflow runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from patternbook.errors import CODES
from tests.conftest import PROJECT

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("handbook") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(PROJECT / "handbook" / "mkdocs.yml"),
         "-d", str(site)],
        cwd=PROJECT, capture_output=True, text=True, timeout=240, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-4000:]
    return site


def test_the_reference_pages_are_generated_into_the_site(handbook: Path) -> None:
    diagnostics = (handbook / "reference" / "diagnostics" / "index.html").read_text(encoding="utf-8")
    for code in CODES:
        assert f'id="{code.lower()}-' in diagnostics, code
    bundle = (handbook / "reference" / "bundle" / "index.html").read_text(encoding="utf-8")
    assert "<code>failure_edges[].detection</code>" in bundle
    commands = (handbook / "reference" / "commands" / "index.html").read_text(encoding="utf-8")
    assert "patternbook validate" in commands and "<code>--changed-since REF</code>" in commands


def test_every_page_carries_the_policy_and_search_is_indexed(handbook: Path) -> None:
    policy = (handbook / "content-security-policy.txt").read_text(encoding="utf-8").strip()
    assert "'unsafe-inline'" not in policy and "'wasm-unsafe-eval'" in policy
    pages = sorted(handbook.rglob("*.html"))
    assert len(pages) >= 15
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<head[^>]*>\n<meta http-equiv="Content-Security-Policy"', html), page
    entry = json.loads((handbook / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] >= 15
    assert (handbook / "assets" / "javascripts" / "search.js").is_file()


def test_the_architecture_diagram_is_drawn_and_shown(handbook: Path) -> None:
    svg = (handbook / "assets" / "architecture.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "postbuild" in svg
    page = (handbook / "architecture" / "index.html").read_text(encoding="utf-8")
    assert 'src="../assets/architecture.svg"' in page and "<!-- handbook:" not in page


def test_the_deploy_workflow_publishes_the_handbook_after_the_library() -> None:
    import yaml

    deploy = yaml.safe_load((PROJECT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in deploy["jobs"]["build"]["steps"]]
    assert runs.index("bash scripts/build") < runs.index("bash scripts/handbook")
    config = (PROJECT / "handbook" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_dir: ../site/handbook" in config and "--strict" in (PROJECT / "scripts" / "handbook").read_text()
    assert 'href="../handbook/"' in (PROJECT / "docs" / "about.md").read_text(encoding="utf-8")
