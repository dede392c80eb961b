"""``patternbook init``: a catalogue repository that validates, builds and checks
itself in CI from the first commit, and finds its JSON Schema in editors."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from patternbook import __version__
from patternbook.cli import main
from patternbook.scaffold import HOOK_REV
from patternbook.schema import pattern_json_schema
from tests.conftest import PROJECT
from tests.test_github_workflows import load_workflow, triggers, uses

EXAMPLE = "retry-with-backoff-and-jitter"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


@pytest.fixture
def initialised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "acme-patterns", "--repo-url", "https://github.com/acme/acme-patterns"]) == 0
    capsys.readouterr()
    return tmp_path / "acme-patterns"


def _modeline_target(pattern_file: Path) -> Path:
    match = MODELINE.search(pattern_file.read_text(encoding="utf-8"))
    assert match, f"{pattern_file} has no schema modeline"
    return (pattern_file.parent / match.group(1)).resolve()


def test_init_writes_a_catalogue_repository(initialised: Path) -> None:
    written = sorted(str(p.relative_to(initialised)) for p in initialised.rglob("*") if p.is_file())
    assert written == sorted([
        ".github/workflows/deploy.yml", ".github/workflows/pull-request.yml", ".gitignore",
        ".pre-commit-config.yaml", "README.md", "docs/about.md", "mkdocs.yml", "patterns/catalogue.yaml",
        f"patterns/{EXAMPLE}/pattern.yaml", f"patterns/{EXAMPLE}/solution.md", "requirements.txt",
        "schema/pattern.schema.json"])
    config = yaml.safe_load((initialised / "mkdocs.yml").read_text())
    assert config["theme"]["name"] == "material"
    assert "patternbook" in config["plugins"]
    assert config["site_name"] == "Acme patterns"
    assert config["repo_url"] == "https://github.com/acme/acme-patterns"
    assert config["edit_uri"] == "edit/main/docs/"
    assert (initialised / "requirements.txt").read_text().splitlines()[-1] == f"patternbook=={__version__}"
    assert "@@" not in "".join(p.read_text() for p in initialised.rglob("*") if p.is_file())


def test_the_example_validates_strictly_with_zero_warnings(initialised: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(initialised)
    assert main(["validate", "--strict"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "1 bundle valid"


def test_editors_find_the_schema_after_init_and_after_new(initialised: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = _modeline_target(initialised / "patterns" / EXAMPLE / "pattern.yaml")
    assert example == (initialised / "schema" / "pattern.schema.json").resolve() and example.is_file()
    schema = json.loads(example.read_text())
    assert schema == json.loads(json.dumps(pattern_json_schema()))
    assert schema["version"] == __version__

    monkeypatch.chdir(initialised)
    assert main(["new", "edge-cache", "--category", "reliability"]) == 0
    assert _modeline_target(initialised / "patterns" / "edge-cache" / "pattern.yaml").is_file()


def test_new_writes_the_schema_a_catalogue_without_one_lacks(tmp_path: Path, initialised: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (initialised / "schema" / "pattern.schema.json").unlink()
    (initialised / "schema").rmdir()
    monkeypatch.chdir(initialised)
    assert main(["new", "edge-cache", "--category", "reliability"]) == 0
    target = _modeline_target(initialised / "patterns" / "edge-cache" / "pattern.yaml")
    assert target.is_file() and json.loads(target.read_text())["version"] == __version__


def test_without_a_repository_url_there_is_no_edit_link_to_anyone_elses(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0  # the current, empty folder
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    assert "repo_url" not in config and "edit_uri" not in config
    assert "# repo_url: https://github.com/your-org/your-catalogue" in (tmp_path / "mkdocs.yml").read_text()


@pytest.mark.parametrize("occupant", ["file", "folder"])
def test_init_refuses_a_folder_that_holds_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   occupant: str) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    path = target / "notes.txt" if occupant == "file" else target
    assert main(["init", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("patternbook: error: ") and "empty folder" in err
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_workflows_check_pull_requests_safely_with_pinned_actions(initialised: Path) -> None:
    pull_request = load_workflow(initialised / ".github" / "workflows" / "pull-request.yml")
    deploy = load_workflow(initialised / ".github" / "workflows" / "deploy.yml")
    assert set(triggers(pull_request)) == {"pull_request"}
    assert set(triggers(deploy)) == {"push"}
    for workflow in (pull_request, deploy):
        assert workflow["permissions"] == {"contents": "read"}
        runs = [str(step.get("run", "")) for job in workflow["jobs"].values() for step in job["steps"]]
        assert any("patternbook validate --strict --format github" in run for run in runs)
        assert any("mkdocs build --strict" in run for run in runs)
        assert any("pip install" in run and "-r requirements.txt" in run for run in runs)
        for action in uses(workflow):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
    for name in ("pull-request.yml", "deploy.yml"):
        text = (initialised / ".github" / "workflows" / name).read_text()
        assert "secrets." not in text
        for line in text.splitlines():
            if "uses:" in line:
                assert re.search(r"@[0-9a-f]{40} # v\d", line), line  # the tag, for humans, beside the SHA


def test_pre_commit_uses_our_hook_at_the_documented_revision(initialised: Path) -> None:
    config = yaml.safe_load((initialised / ".pre-commit-config.yaml").read_text())
    [repository] = config["repos"]
    assert repository["repo"] == "https://github.com/patternbook/patternbook"
    assert repository["rev"] == HOOK_REV
    offered = {hook["id"] for hook in yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())}
    assert {hook["id"] for hook in repository["hooks"]} <= offered
    assert f"rev: {HOOK_REV}" in (PROJECT / ".pre-commit-hooks.yaml").read_text()
    assert f"rev: {HOOK_REV}" in (PROJECT / "CONTRIBUTING.md").read_text()


def _git(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(PROJECT), *arguments], capture_output=True, text=True)


def test_the_hook_revision_is_a_commit_of_this_repository_with_the_hook_and_the_relation_rule() -> None:
    if _git("rev-parse", "--git-dir").returncode != 0 or _git("rev-parse", "--is-shallow-repository").stdout.strip() \
            == "true":
        pytest.skip("needs this repository's full git history")
    assert re.fullmatch(r"[0-9a-f]{40}", HOOK_REV)
    assert _git("cat-file", "-e", f"{HOOK_REV}^{{commit}}").returncode == 0, f"{HOOK_REV} is not a commit here"
    assert _git("merge-base", "--is-ancestor", HOOK_REV, "HEAD").returncode == 0, "the hook rev left the history"
    hooks = yaml.safe_load(_git("show", f"{HOOK_REV}:.pre-commit-hooks.yaml").stdout)
    assert "patternbook-validate" in {hook["id"] for hook in hooks}
    # At that revision a catalogue of one pattern validates: relations are optional.
    model = _git("show", f"{HOOK_REV}:src/patternbook/schema/pattern.py").stdout
    assert "relations: list[Relation] = Field(default_factory=list" in model


def test_zizmor_finds_nothing_of_medium_severity_or_above_in_the_starter_workflows(initialised: Path) -> None:
    import shutil
    import sys

    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or "zizmor"
    result = subprocess.run([zizmor, "--offline", "--min-severity", "medium", "--no-progress",
                             str(initialised / ".github")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


@pytest.mark.parametrize("url", ["https://github.com/org/repo\"><script>alert(1)</script>", "http://github.com/o/r",
                                 "https://user@github.com/o/r", "https://github.com/o/r?x=1", "https://github.com/o",
                                 "https://github.com/o/r/tree/main", "javascript:alert(1)//https://github.com/o/r",
                                 "https://github.com/o/..", "https://github.com/o/r\n# x"])
def test_init_refuses_a_repository_url_that_is_not_plain(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         url: str) -> None:
    assert main(["init", str(tmp_path / "c"), "--repo-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("patternbook: error: ") and "https://github.com/org/catalogue" in err
    assert not (tmp_path / "c").exists()


def test_a_site_name_is_text_in_mkdocs_yml_and_the_readme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = '<script>alert(1)</script> "q" # not: a comment \\ [x](https://e.example) 😀'
    assert main(["init", str(tmp_path / "c"), "--name", name]) == 0
    assert yaml.safe_load((tmp_path / "c" / "mkdocs.yml").read_text())["site_name"] == name
    readme = (tmp_path / "c" / "README.md").read_text().splitlines()[0]
    assert "<script>" not in readme and "](" not in readme.replace("\\](", "")


def test_a_folder_name_with_markup_becomes_a_quoted_site_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "<img src=x onerror=alert(1)>: {a: b}"
    monkeypatch.chdir(tmp_path)
    assert main(["init", folder.name]) == 0
    assert yaml.safe_load((folder / "mkdocs.yml").read_text())["site_name"] == "<img src=x onerror=alert(1)>: {a: b}"


def test_init_refuses_a_site_name_with_control_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "c"), "--name", "a\x1b]0;x\x07"]) == 2
    assert "one line of visible text" in capsys.readouterr().err
