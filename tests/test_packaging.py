"""Proven like an adopter: the wheel, installed into a fresh virtual environment
in an empty folder outside this repository, runs the handbook's (and the README's)
"Start your own catalogue" commands and builds a complete Material site from the
package alone."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from patternbook import __version__
from tests.conftest import PROJECT

pytestmark = pytest.mark.site

EXAMPLE = "retry-with-backoff-and-jitter"


#: Where the commands are written for a new user; the README repeats the same block.
GETTING_STARTED = PROJECT / "handbook" / "docs" / "getting-started.md"
SECTION = "## Start your own catalogue\n"


def _start_your_own_block(document: Path) -> str:
    """The shell block of ``document``'s "Start your own catalogue" section."""
    section = document.read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, f"{document.name}'s 'Start your own catalogue' section has no sh block"
    return match.group(1)


def readme_commands() -> str:
    """The handbook's "Start your own catalogue" commands, which the README repeats word for word."""
    commands = _start_your_own_block(GETTING_STARTED)
    assert _start_your_own_block(PROJECT / "README.md") == commands, "README and getting-started.md differ"
    return commands


def _run(command: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def adopter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder where the README's commands ran against the freshly built wheel."""
    wheels = tmp_path_factory.mktemp("wheel")
    # The build backend is a test dependency; without it pip fetches it into an isolated build.
    isolation = ["--no-build-isolation"] if _has_hatchling() else []
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", str(wheels), str(PROJECT)], cwd=wheels)
    [wheel] = wheels.glob("patternbook-*.whl")

    # The test environment's versions as constraints: the same releases, mostly from pip's cache.
    frozen = _run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], cwd=wheels).stdout
    constraints = wheels / "constraints.txt"
    constraints.write_text("\n".join(line for line in frozen.splitlines() if "==" in line) + "\n")

    home = tmp_path_factory.mktemp("adopter")
    script = readme_commands()
    assert "pip install patternbook\n" in script
    # uv makes the adopter's fresh venv and installs the same pinned releases into it as
    # `python3 -m venv` and pip would, from its own cache and in parallel: the test proves the
    # wheel and every other command as written, not pip's speed.
    uv = Path(sys.executable).with_name("uv")
    if uv.is_file():
        assert "python3 -m venv .venv && " in script
        script = script.replace("python3 -m venv .venv && ", f"{uv} venv -q --python {sys.executable} .venv && ")
        script = script.replace("pip install patternbook\n", f"{uv} pip install -q -c {constraints} {wheel}\n")
    else:
        script = script.replace("pip install patternbook\n", f"pip install -q -c {constraints} {wheel}\n")
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    environment["PATH"] = os.pathsep.join(p for p in environment.get("PATH", "").split(os.pathsep)
                                          if not p.startswith(str(PROJECT)))
    environment["NO_MKDOCS_2_WARNING"] = "1"
    _run(["bash", "-euo", "pipefail", "-c", script], cwd=home, env=environment)
    return home


def _has_hatchling() -> bool:
    import importlib.util

    return importlib.util.find_spec("hatchling") is not None


def test_the_wheel_carries_templates_overrides_schema_and_starter(adopter: Path) -> None:
    python = adopter / ".venv" / "bin" / "python"
    located = _run([str(python), "-c", "import patternbook, patternbook.resources as r; print(patternbook.__file__); "
                    "print(r.packaged_templates()); print(r.packaged_theme_overrides()); "
                    "print(r.packaged_pattern_schema())"], cwd=adopter).stdout.split()
    package = Path(located[0]).parent
    assert package.is_relative_to(adopter / ".venv"), "the fresh environment imported patternbook from elsewhere"
    assert not package.is_relative_to(PROJECT)
    templates, overrides, schema = (Path(line) for line in located[1:])
    assert templates == package / "templates" and (templates / "pattern.md.j2").is_file()
    assert overrides == package / "site_overrides"
    assert (overrides / "assets" / "stylesheets" / "patternbook.css").is_file()
    assert schema == package / "pattern.schema.json"
    assert json.loads(schema.read_text())["version"] == __version__
    assert (package / "schema" / "retired_runtimes.yaml").is_file()  # check-links's dated list
    version = _run([str(adopter / ".venv" / "bin" / "patternbook"), "--version"], cwd=adopter).stdout
    assert version.strip() == f"patternbook {__version__}"


def test_the_built_pattern_page_is_complete_and_uses_material(adopter: Path) -> None:
    site = adopter / "my-catalogue" / "site"
    page = (site / "patterns" / EXAMPLE / "index.html").read_text(encoding="utf-8")
    for heading in ("Pressure", "When to use it, and when not to", "Failure edges", "Cost", "Operations"):
        assert re.search(rf">{re.escape(heading)}(<a|</h2>)", page), heading
    diagram = f"assets/diagrams/{EXAMPLE}--sqs-retry.svg"
    assert f'src="../../{diagram}"' in page
    assert (site / diagram).read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert 'href="../../assets/stylesheets/patternbook.css"' in page
    assert (site / "assets" / "stylesheets" / "patternbook.css").stat().st_size > 0
    assert 'src="../../assets/javascripts/patternbook.js"' in page
    assert re.search(r'<meta name="generator" content="mkdocs-[\d.]+, mkdocs-material-[\d.]+">', page)
    assert 'class="md-header' in page and re.search(r'assets/stylesheets/main\.[0-9a-f]+\.min\.css', page)
    assert f'href="https://github.com/your-org/my-catalogue/edit/main/patterns/{EXAMPLE}/pattern.yaml"' in page
    assert "patternbook/patternbook" not in page  # nothing points at this repository
    assert (site / "discover" / "patterns" / "index.html").is_file()


def test_export_carries_the_packaged_theme_and_new_points_editors_at_the_schema(adopter: Path) -> None:
    import yaml

    exported = adopter / "my-catalogue-plain"
    config = yaml.safe_load((exported / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "patternbook" not in config["plugins"]
    assert config["theme"]["name"] == "material" and config["theme"]["custom_dir"] == "overrides"
    assert "assets/stylesheets/patternbook.css" in config["extra_css"]
    assert "assets/javascripts/patternbook.js" in config["extra_javascript"]
    for override in ("partials/header.html", "assets/stylesheets/patternbook.css", "assets/javascripts/patternbook.js"):
        assert (exported / "overrides" / override).is_file(), override
    assert (exported / "docs" / "patterns" / EXAMPLE / "index.md").is_file()  # in the folder of its URL

    scaffold = adopter / "my-catalogue" / "patterns" / "edge-cache" / "pattern.yaml"
    modeline = scaffold.read_text(encoding="utf-8").splitlines()[0]
    target = modeline.removeprefix("# yaml-language-server: $schema=")
    assert target != modeline and (scaffold.parent / target).resolve().is_file()


@pytest.fixture(scope="module", autouse=True)
def _no_leftovers_in_the_repository() -> None:
    """Building the wheel must not leave build output in the checkout."""
    before = {p.name for p in PROJECT.iterdir()}
    yield
    created = {p.name for p in PROJECT.iterdir()} - before
    for name in created & {"build", "dist"}:
        shutil.rmtree(PROJECT / name, ignore_errors=True)
    assert not created - {".pytest_cache", ".import_linter_cache", ".ruff_cache", ".cache"}, created
