"""Every field of a diagnostic reaches a terminal, a log or a CI annotation as text:
no escape sequence, bell or carriage return from a key, a path or a value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patternbook.cli import main
from patternbook.cli.reporters import report_github, report_json, report_text
from patternbook.errors import Diagnostic, ValidationFailed

HOSTILE = "\x1b]0;owned\x07\x1b[2J\r\u202e"
DIAGNOSTIC = Diagnostic(f"patterns/x{HOSTILE}/pattern.yaml", 3, 1, "PB202", f"unknown field 'k{HOSTILE}'",
                        field=f"k{HOSTILE}", hint=f"did you mean {HOSTILE}?")


def _controls(text: str) -> set[str]:
    return {c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f or c == "\u202e"}


def test_text_report_prints_no_control_character_from_any_field() -> None:
    assert _controls(report_text([DIAGNOSTIC], 1)) == set()
    assert _controls(DIAGNOSTIC.format()) == set()
    assert _controls(str(ValidationFailed([DIAGNOSTIC]))) == set()


def test_json_report_is_ascii_and_reads_back_exactly() -> None:
    text = report_json([DIAGNOSTIC], 1)
    assert text.isascii()
    assert json.loads(text)["diagnostics"][0]["field"] == DIAGNOSTIC.field


def test_github_annotations_escape_per_workflow_command_rules() -> None:
    diagnostic = Diagnostic("a,b:c%d.yaml", 2, 5, "PB202", "line one\nline two 100%\r::error::forged",
                            field="x,y:z")
    annotation = report_github([diagnostic], 1).split("\n")[0]
    assert annotation == ("::error file=a%2Cb%3Ac%25d.yaml,line=2,col=5,title=PB202 x%2Cy%3Az::"
                          "line one%0Aline two 100%25?::error::forged")
    lines = report_github([diagnostic, DIAGNOSTIC], 1).split("\n")
    assert len(lines) == 3 and all(not _controls(line) for line in lines)


def test_validate_prints_a_hostile_key_as_text(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = catalogue_dir / "neighbour-pattern" / "pattern.yaml"
    bundle.write_text(bundle.read_text() + '"bad\\e]0;owned\\a\\e[2Jkey": 1\n')
    assert main(["validate", str(catalogue_dir.parent / "catalogue"), "--color", "always"]) == 1
    out = capsys.readouterr().out
    assert "bad?]0;owned??[2Jkey" in out
    assert "\x07" not in out and "\x1b]" not in out and "\x1b[2J" not in out
