"""``patternbook build``: the engine is one flag; a missing optional engine is a
usage error naming its pip extra; a failed build, whatever failed, leaves the
previous site as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.engines.conftest import patternbook_build

pytestmark = pytest.mark.site


def _tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_help_names_every_engine_and_the_extras() -> None:
    result = subprocess.run([sys.executable, "-m", "patternbook", "build", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for words in ("--engine {mkdocs,properdocs,zensical}", "-d SITE", "--strict", "--config-file FILE",
                  "patternbook[zensical]"):
        assert words in " ".join(result.stdout.split()), words


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_a_missing_engine_is_a_usage_error_naming_the_extra(engine: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "library", small=True)
    # The interpreter's own way of saying "not installed": a None entry in sys.modules.
    script = (f"import sys; sys.modules[{engine!r}] = None; from patternbook.cli import main; "
              f"sys.exit(main(['build', '--engine', {engine!r}]))")
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"patternbook: error: the {engine} engine is not installed; install it with "
                             f"pip install 'patternbook[{engine}]'\n")
    assert not (project / "site").exists()


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_an_invalid_catalogue_leaves_the_previous_site(engine: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "library", small=True)
    site = tmp_path / "site"
    first = patternbook_build(project, site, "--engine", engine, "--strict")
    assert first.returncode == 0, first.stderr[-3000:]
    assert (site / "patterns" / "minimal-valid" / "index.html").is_file()
    before = _tree(site)

    bundle = project / "patterns" / "minimal-valid" / "pattern.yaml"
    bundle.write_text(bundle.read_text().replace("when_not_to_use:", "when_not_to_use_it:", 1))
    second = patternbook_build(project, site, "--engine", engine, "--strict")
    assert second.returncode == 1
    assert "minimal-valid/pattern.yaml:" in second.stdout + second.stderr
    assert "Traceback" not in second.stderr
    assert _tree(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_strict_fails_on_patternbook_warnings_with_every_engine(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "library", small=True)
    far_future = {"SOURCE_DATE_EPOCH": "4102444800"}  # 2100: every review is overdue (a warning)
    for engine in ("properdocs", "zensical"):
        strict = patternbook_build(project, tmp_path / engine, "--engine", engine, "--strict", env=far_future)
        assert strict.returncode == 1, engine
        assert "PB304" in strict.stdout, engine
        assert not (tmp_path / engine).exists()
        lenient = patternbook_build(project, tmp_path / engine, "--engine", engine, env=far_future)
        assert lenient.returncode == 0, lenient.stderr[-3000:]


def test_a_failing_engine_leaves_the_previous_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "library", small=True)
    site = tmp_path / "site"
    assert patternbook_build(project, site, "--engine", "zensical", "--strict").returncode == 0
    before = _tree(site)
    about = project / "docs" / "about.md"
    about.write_text(about.read_text() + "\nSee [a page that is not there](missing.md).\n")
    failed = patternbook_build(project, site, "--engine", "zensical", "--strict")
    assert failed.returncode == 1
    assert "zensical build failed" in failed.stderr and "previous site is unchanged" in failed.stderr
    assert _tree(site) == before
