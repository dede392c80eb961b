"""``patternbook new``: a scaffold that can never validate untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from patternbook.cli import main
from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY


def test_scaffold_fails_with_fill_this_in_on_every_placeholder(catalogue_dir: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "edge-cache", "--title", "Edge cache", "--category", "reliability",
                 "--catalogue", str(catalogue_dir)]) == 0
    bundle = catalogue_dir / "edge-cache"
    pattern_text = (bundle / "pattern.yaml").read_text()
    assert pattern_text.startswith("# yaml-language-server: $schema=../../schema/pattern.schema.json\n")
    capsys.readouterr()

    assert main(["validate", str(bundle), "--today", FIXED_TODAY]) == 1
    report = validate_paths([bundle])
    assert {d.code for d in report.errors} == {"PB205"}
    assert all("fill this in" in d.message for d in report.errors)
    # The companion repository's pinned commit is a placeholder too: no scaffold merges unpinned.
    assert {"repositories[0].ref", "repositories[0].path"} <= {d.field for d in report.errors}
    placeholder_lines = {number for number, line in enumerate(pattern_text.splitlines(), 1) if "TODO(fill in)" in line}
    reported_lines = {d.line for d in report.errors if d.path.endswith("pattern.yaml")}
    assert reported_lines == placeholder_lines
    solution_sections = [d for d in report.errors if d.path.endswith("solution.md")]
    assert len(solution_sections) == 3


def test_anti_pattern_scaffold_fails_only_on_its_placeholders(catalogue_dir: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "retry-everywhere", "--kind", "anti-pattern", "--category", "reliability",
                 "--catalogue", str(catalogue_dir)]) == 0
    bundle = catalogue_dir / "retry-everywhere"
    pattern_text = (bundle / "pattern.yaml").read_text()
    assert "\nkind: anti-pattern\n" in pattern_text and "\ncost:" not in pattern_text
    capsys.readouterr()
    report = validate_paths([bundle])
    assert {d.code for d in report.errors} == {"PB205"}
    placeholder_lines = {number for number, line in enumerate(pattern_text.splitlines(), 1) if "TODO(fill in)" in line}
    assert {d.line for d in report.errors if d.path.endswith("pattern.yaml")} == placeholder_lines
    assert {d.field for d in report.errors} >= {"refactor_to[0].pattern", "signals[0]", "harms.reliability"}
    assert len([d for d in report.errors if d.path.endswith("solution.md")]) == 2  # Shape and Way out


def test_text_report_quotes_the_line_with_a_caret(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["new", "edge-cache", "--category", "reliability", "--catalogue", str(catalogue_dir)])
    capsys.readouterr()
    main(["validate", str(catalogue_dir / "edge-cache"), "--today", FIXED_TODAY, "--color", "never"])
    lines = capsys.readouterr().out.splitlines()
    first = lines.index(next(line for line in lines if ":3:10: PB205 summary:" in line))
    assert lines[first + 1] == ' 3 | summary: "TODO(fill in): one line, 30-200 characters, on what the pattern does"'
    assert lines[first + 2] == "   |          ^"
    assert lines[first + 3].strip().startswith("fix: one line")
    assert not any("\033[" in line for line in lines)


def test_colour_is_used_only_when_asked_or_on_a_terminal(catalogue_dir: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    main(["new", "edge-cache", "--category", "reliability", "--catalogue", str(catalogue_dir)])
    capsys.readouterr()
    main(["validate", str(catalogue_dir / "edge-cache"), "--today", FIXED_TODAY, "--color", "always"])
    assert re.search(r"\033\[1m\033\[31mPB205", capsys.readouterr().out)


@pytest.mark.parametrize(("arguments", "message"), [
    (["new", "Bad_Slug", "--category", "reliability"], "not a slug"),
    (["new", "fine-slug", "--category", "reliabilty"], "did you mean 'reliability'"),
    (["new", "neighbour-pattern", "--category", "reliability"], "already exists"),
])
def test_new_refuses_bad_requests(catalogue_dir: Path, capsys: pytest.CaptureFixture[str], arguments: list[str],
                                  message: str) -> None:
    assert main([*arguments, "--catalogue", str(catalogue_dir)]) == 2
    assert message in capsys.readouterr().err


def test_new_refuses_a_reserved_slug(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "index", "--category", "reliability", "--catalogue", str(catalogue_dir)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("patternbook: error: 'index' is reserved") and err.count("\n") == 1
    assert not (catalogue_dir / "index").exists()
