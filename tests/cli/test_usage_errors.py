"""No misuse is an internal error: each is exit 2 with one sentence saying what
to do, never a traceback (exit 3 is for bugs in Patternbook)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patternbook.cli import main
from patternbook.scaffold import write_starter_catalogue


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


MISUSES = {
    "validate outside a catalogue": ([], ["validate"], "patternbook init"),
    "validate a folder without catalogue.yaml": ([("patterns/x.txt", "")], ["validate"], "catalogue.yaml"),
    "new outside a catalogue": ([], ["new", "edge-cache", "--category", "reliability"], "patternbook init"),
    "export without mkdocs.yml": ([], ["export", "out"], "--config"),
    "export without a catalogue": ([("mkdocs.yml", "site_name: x\ntheme: material\nplugins: [patternbook]\n")],
                                   ["export", "out"], "patternbook init"),
    "export with a missing templates folder": (
        [("mkdocs.yml", "site_name: x\ntheme: material\nplugins: [{patternbook: {templates_dir: mine}}]\n")],
        ["export", "out"], "templates_dir"),
    "export under another theme": ([("mkdocs.yml", "site_name: x\nplugins: [patternbook]\n")], ["export", "out"],
                                   "theme"),
    "build without mkdocs.yml": ([], ["build"], "--config"),
    "build with another engine without mkdocs.yml": ([], ["build", "--engine", "zensical"], "--config"),
    "build into the project folder": ([("mkdocs.yml", "site_name: x\ntheme: material\nplugins: [patternbook]\n"),
                                       ("patterns/catalogue.yaml", "categories: []\n")],
                                      ["build", "--engine", "properdocs", "-d", "."], "choose another -d"),
    "check-links outside a catalogue": ([], ["check-links"], "patternbook init"),
    "init into a folder that holds files": ([("taken/notes.txt", "mine")], ["init", "taken"], "empty folder"),
    "init with a repository URL that is not one": ([], ["init", "new", "--repo-url", "github"], "https://"),
}


@pytest.mark.parametrize("case", list(MISUSES), ids=list(MISUSES))
def test_misuse_is_a_usage_error_in_one_sentence(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    files, arguments, advice = MISUSES[case]
    for relative, text in files:
        _write(tmp_path / relative, text)
    monkeypatch.chdir(tmp_path)
    assert main(arguments) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("patternbook: error: ") and captured.err.count("\n") == 1, captured.err
    assert advice in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_schema_output_creates_missing_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["schema", "-o", "schema/editors/pattern.schema.json"]) == 0
    assert json.loads((tmp_path / "schema" / "editors" / "pattern.schema.json").read_text())["title"]


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    from patternbook import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"patternbook {__version__}"


def test_export_of_a_fresh_catalogue_needs_no_templates_or_overrides_of_its_own(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    write_starter_catalogue(tmp_path / "catalogue", site_name="Plain", repo_url=None, today="2026-11-01")
    monkeypatch.chdir(tmp_path / "catalogue")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793577600")
    assert main(["export", str(tmp_path / "plain")]) == 0
    assert (tmp_path / "plain" / "overrides" / "partials" / "header.html").is_file()
    assert (tmp_path / "plain" / "docs" / "patterns" / "retry-with-backoff-and-jitter" / "index.md").is_file()
