"""``patternbook export --techdocs``: a folder Backstage's TechDocs builds with
``mkdocs-techdocs-core`` alone, and a ``catalog-info.yaml`` that registers it.

The real build runs in a Python where Patternbook cannot be imported, as in
Backstage's TechDocs builder: by default this interpreter with ``patternbook``
blocked in ``sys.modules`` and ``src`` off the path; ``PATTERNBOOK_TECHDOCS_PYTHON``
names another interpreter (a TechDocs-only environment) instead.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from patternbook.cli import main
from patternbook.engines.techdocs import backstage_entity_name, export_techdocs
from patternbook.errors import UsageError
from patternbook.pipeline.site_config import read_site_config
from tests.conftest import copy_project

HOSTILE_SITE_NAME = 'Ops "wiki"\nkind: Group\n# <script>alert(1)</script>\u2028: {x} & Ünïcode'
#: A contributor's code sample that techdocs-core's extensions would read as directives: Graphviz
#: drawing a javascript: link into the page, PlantUML run on the builder, a critic insertion.
HOSTILE_SAMPLE = ('\n\n~~~text\na code sample\n{% dot pwned.svg\ndigraph G { a [label="PWNED" '
                  'URL="javascript:alert(1)"] }\n%}\n::uml:: format="svg"\nA -> B: PWNED\n::end-uml::\n'
                  '{++PWNED++}\n~~~\n')
BACKSTAGE_ENTITY_NAME = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")


def _project(target: Path, *, site_name: str | None = None, hostile_sample: bool = False) -> Path:
    project = copy_project(target, small=True)
    if site_name is not None:
        config = project / "mkdocs.yml"
        # JSON is YAML: the name arrives exactly as written, line break and all.
        config.write_text(re.sub(r"^site_name: .*$", lambda _: "site_name: " + _json(site_name),
                                 config.read_text(), count=1, flags=re.MULTILINE))
    if hostile_sample:
        solution = project / "patterns" / "minimal-valid" / "solution.md"
        solution.write_text(solution.read_text() + HOSTILE_SAMPLE)
    return project


def _json(value: str) -> str:
    import json

    return json.dumps(value)


def _pattern_slugs(project: Path) -> list[str]:
    return sorted(p.parent.name for p in (project / "patterns").glob("*/pattern.yaml"))


def _catalog_info(exported: Path) -> dict:
    return yaml.safe_load((exported / "catalog-info.yaml").read_text(encoding="utf-8"))


def test_the_export_holds_docs_a_techdocs_config_and_an_entity(tmp_path: Path) -> None:
    project = _project(tmp_path / "library", site_name=HOSTILE_SITE_NAME)
    exported = tmp_path / "techdocs"
    build = export_techdocs(read_site_config(project / "mkdocs.yml"), exported, owner="group:default/platform")

    assert sorted(p.name for p in exported.iterdir()) == ["catalog-info.yaml", "docs", "mkdocs.yml"]
    config = yaml.safe_load((exported / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["techdocs-core"]  # no patternbook, no tags, no search of our own
    assert config["theme"] == {"name": "material"}  # no custom_dir: TechDocs loads no overrides
    assert "extra_javascript" not in config and config["site_name"] == HOSTILE_SITE_NAME
    assert "Tags" not in str(config["nav"]) and not (exported / "docs" / "tags").exists()
    for stylesheet in config["extra_css"]:
        assert (exported / "docs" / stylesheet).is_file()
    for slug in _pattern_slugs(project):
        assert (exported / "docs" / "patterns" / slug / "index.md").is_file(), slug
        assert list((exported / "docs" / "assets" / "diagrams").glob(f"{slug}--*.svg")), slug
    # The templates write no TechDocs directive: on this catalogue the rewrite changes nothing.
    for page in build.plan.pages:
        if page.path == "tags.md":
            continue
        plain = page.path.endswith("index.md") or not page.path.endswith(".md")  # JSON files keep their path
        written = page.path if plain else page.path.removesuffix(".md") + "/index.md"
        assert (exported / "docs" / written).read_text(encoding="utf-8") == page.content, page.path

    entity = _catalog_info(exported)
    assert entity["kind"] == "Component" and entity["apiVersion"] == "backstage.io/v1alpha1"
    assert entity["metadata"]["title"] == HOSTILE_SITE_NAME  # read back exactly, one key among the others
    assert entity["metadata"]["name"] == "ops-wiki-kind-group-script-alert-1-script-x-unicode"
    assert entity["metadata"]["annotations"] == {"backstage.io/techdocs-ref": "dir:."}
    assert entity["spec"] == {"type": "documentation", "lifecycle": "production", "owner": "group:default/platform"}


@pytest.mark.parametrize(("site_name", "name"), [
    ("Patternbook", "patternbook"), ("ACME — Architecture Patterns", "acme-architecture-patterns"),
    ("日本語", "patternbook"), ("x" * 80, "x" * 63), ("a" * 62 + " b", "a" * 62), ("--", "patternbook")])
def test_entity_names_follow_backstages_rule(site_name: str, name: str) -> None:
    assert backstage_entity_name(site_name) == name
    assert BACKSTAGE_ENTITY_NAME.fullmatch(name) and len(name) <= 63


def test_misuse_is_the_usual_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path / "library")
    monkeypatch.chdir(project)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    cases = {("export", "--techdocs", str(precious)): "not an earlier export",
             ("export", "--techdocs", "."): "refusing to replace a folder that holds the project",
             ("export", "--owner", "team", str(tmp_path / "out")): "goes with --techdocs",
             ("export", "--techdocs", "--owner", "team: x\nkind: Group", str(tmp_path / "out")):
                 "not a Backstage entity reference"}
    for arguments, advice in cases.items():
        assert main(list(arguments)) == 2, arguments
        error = capsys.readouterr().err
        assert error.startswith("patternbook: error: ") and advice in error, error
    assert (precious / "notes.txt").read_text() == "keep me" and not (tmp_path / "out").exists()
    with pytest.raises(UsageError):
        export_techdocs(read_site_config(project / "mkdocs.yml"), tmp_path / "out", owner="")
    assert main(["export", "--techdocs", str(tmp_path / "again")]) == 0
    assert main(["export", "--techdocs", str(tmp_path / "again")]) == 0  # an earlier export is replaced


def test_help_names_the_techdocs_export(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--techdocs", "--owner ENTITY_REF", "catalog-info.yaml", "techdocs-core"):
        assert words in text, words


def _techdocs_python() -> str:
    configured = os.environ.get("PATTERNBOOK_TECHDOCS_PYTHON")
    if configured:
        return configured
    if importlib.util.find_spec("techdocs_core") is None:  # mkdocs-techdocs-core's module
        pytest.skip("no TechDocs builder: bash scripts/test makes one (.venv-techdocs, requirements/techdocs.txt) "
                    "and names it in PATTERNBOOK_TECHDOCS_PYTHON")
    return sys.executable


#: ``mkdocs`` with Patternbook unimportable: a None entry in sys.modules is the interpreter's own
#: "not installed", so a config naming the patternbook plugin could not load it.
_MKDOCS_WITHOUT_PATTERNBOOK = ("import sys; sys.modules['patternbook'] = None; "
                               "from mkdocs.__main__ import cli; cli(prog_name='mkdocs')")


@pytest.mark.site
def test_techdocs_core_builds_the_export_strictly_without_patternbook(tmp_path: Path) -> None:
    python = _techdocs_python()
    project = _project(tmp_path / "library", site_name=HOSTILE_SITE_NAME, hostile_sample=True)
    exported = tmp_path / "techdocs"
    export_techdocs(read_site_config(project / "mkdocs.yml"), exported)
    config = (exported / "mkdocs.yml").read_text(encoding="utf-8")
    assert "patternbook" not in yaml.safe_load(config)["plugins"]

    site = tmp_path / "site"
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([python, "-c", _MKDOCS_WITHOUT_PATTERNBOOK, "build", "--strict", "-d", str(site)],
                            cwd=exported, capture_output=True, text=True, timeout=300,
                            env={**environment, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-4000:]
    assert (site / "techdocs_metadata.json").is_file()  # techdocs-core ran
    for slug in _pattern_slugs(project):
        assert (site / "patterns" / slug / "index.html").is_file(), slug
    page = (site / "patterns" / "minimal-valid" / "index.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in page and 'class="critic' not in page  # the sample stayed a sample
    assert "&#123;% dot pwned.svg" in page and "&#58;:uml::" in page
    assert _catalog_info(exported)["metadata"]["title"] == HOSTILE_SITE_NAME
