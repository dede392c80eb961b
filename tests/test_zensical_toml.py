"""``zensical.toml``: the exported site's settings in Zensical's own format, read back
by ``tomllib`` exactly, and built by Zensical with no ``mkdocs.yml`` beside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from patternbook.zensical_toml import zensical_project, zensical_toml
from tests.conftest import copy_project

HOSTILE = 'Ops "handbook" \\ [project]\nsite_url = "https://evil.example"\r\x00\u2028'


def test_every_setting_reads_back_with_hostile_site_and_navigation_text() -> None:
    config = {
        "site_name": HOSTILE,
        "site_url": None,  # TOML has no null: left out
        "nav": [{"Home": "index.md"}, {HOSTILE: [{"x = 1\n[y]": "patterns/a/index.md"}, "patterns/b/index.md"]}],
        "theme": {"name": "materialx", "features": ["navigation.sections"], "custom_dir": "overrides",
                  "palette": [{"scheme": "slate", "toggle": {"icon": "material/weather-sunny", "name": HOSTILE}}]},
        "plugins": ["tags"],
        "markdown_extensions": [{"toc": {"permalink": True}}, "tables", {"pymdownx.highlight": None}],
        "extra_css": ["assets/stylesheets/patternbook.css"],
        "validation": {"omitted_files": "info"},
    }
    read = tomllib.loads(zensical_toml(config, header="Exported\nby a test"))
    project = read["project"]
    assert project == {key: value for key, value in zensical_project(config).items() if value is not None}
    assert project["site_name"] == HOSTILE and "site_url" not in project
    assert project["nav"] == config["nav"]
    assert project["theme"]["name"] == "material"  # Zensical renders its own copy of Material's templates
    assert project["theme"]["palette"][0]["toggle"]["name"] == HOSTILE
    assert project["markdown_extensions"] == {"toc": {"permalink": True}, "tables": {}, "pymdownx.highlight": {}}
    assert project["plugins"] == {"tags": {}} and "validation" not in project


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("zensical-toml") / "library", small=True)
    target = project.parent / "exported"
    result = subprocess.run([sys.executable, "-m", "patternbook", "export", str(target)], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return target


def test_the_export_writes_the_same_site_name_and_navigation_as_its_mkdocs_yml(exported: Path) -> None:
    mkdocs = yaml.safe_load((exported / "mkdocs.yml").read_text(encoding="utf-8"))
    text = (exported / "zensical.toml").read_text(encoding="utf-8")
    assert text.startswith("# Exported by `patternbook export`")
    project = tomllib.loads(text)["project"]
    for key in ("site_name", "site_url", "repo_url", "nav", "extra_css", "extra_javascript", "docs_dir"):
        assert project.get(key) == mkdocs.get(key), key
    assert project["theme"]["custom_dir"] == "overrides"
    assert project["theme"]["features"] == mkdocs["theme"]["features"]


@pytest.mark.site
def test_zensical_builds_the_export_from_zensical_toml_alone(exported: Path, tmp_path: Path) -> None:
    pytest.importorskip("zensical")
    project = tmp_path / "project"
    shutil.copytree(exported, project)
    (project / "mkdocs.yml").unlink()  # only zensical.toml is left to configure the site
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", "zensical.toml"],
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (project / "site" / "patterns" / "minimal-valid" / "index.html").read_text(encoding="utf-8")
    assert "Breaks first" in page
    name = tomllib.loads((exported / "zensical.toml").read_text(encoding="utf-8"))["project"]["site_name"]
    assert name in (project / "site" / "index.html").read_text(encoding="utf-8")
