"""``patternbook validate`` and ``patternbook schema`` end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from patternbook.cli import main
from tests.conftest import FIXED_TODAY, PROJECT

CASES = Path(__file__).parents[1] / "validation" / "cases"


def _with_case(catalogue: Path, kind: str, name: str) -> Path:
    target = catalogue / name
    shutil.copytree(CASES / kind / name, target, ignore=shutil.ignore_patterns("expected.txt"))
    return target


def test_valid_catalogue_exits_zero(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_case(catalogue_dir, "positive", "minimal-valid")
    assert main(["validate", str(catalogue_dir), "--today", FIXED_TODAY, "--strict"]) == 0
    assert capsys.readouterr().out.strip() == "3 bundles valid"


def test_invalid_bundle_exits_one_with_position(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = _with_case(catalogue_dir, "negative", "yaml11-boolean")
    assert main(["validate", str(bundle), "--today", FIXED_TODAY]) == 1
    out = capsys.readouterr().out
    assert "catalogue/yaml11-boolean/pattern.yaml:6:10: PB105 owners[0]:" in out
    assert 'quote it: "NO"' in out


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_folder_without_catalogue_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path)]) == 2
    assert "not a catalogue" in capsys.readouterr().err


def test_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml"])
    assert exit_info.value.code == 2


def test_json_format(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = _with_case(catalogue_dir, "negative", "unknown-category")
    assert main(["validate", str(bundle), "--format", "json", "--today", FIXED_TODAY]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["code"] == "PB206" and diagnostic["line"] == 3 and diagnostic["field"] == "category"
    assert diagnostic["path"] == "catalogue/unknown-category/pattern.yaml"


def test_github_format_annotates_lines(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = _with_case(catalogue_dir, "negative", "misspelled-field")
    assert main(["validate", str(bundle), "--format", "github", "--today", FIXED_TODAY]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert ("::error file=catalogue/misspelled-field/pattern.yaml,line=23,col=1,title=PB202 when_not_to_usse::"
            "unknown field 'when_not_to_usse' (did you mean 'when_not_to_use' or 'when_to_use'?)") in lines


def test_overdue_review_is_a_warning_until_strict(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_case(catalogue_dir, "positive", "minimal-valid")
    assert main(["validate", str(catalogue_dir), "--today", "2030-01-01"]) == 0
    assert "warning PB304" in capsys.readouterr().out
    assert main(["validate", str(catalogue_dir), "--today", "2030-01-01", "--strict"]) == 1
    out = capsys.readouterr().out
    assert "PB304" in out and "warning PB304" not in out


def test_missing_inverse_relation_is_a_warning(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_case(catalogue_dir, "positive", "minimal-valid")
    neighbour = catalogue_dir / "other-neighbour" / "pattern.yaml"
    neighbour.write_text(neighbour.read_text().replace("type: complements", "type: alternative_to"))
    assert main(["validate", str(catalogue_dir), "--today", FIXED_TODAY]) == 0
    out = capsys.readouterr().out
    assert ("catalogue/other-neighbour/pattern.yaml:70:14: warning PB303 relations[0].pattern: "
            "alternative_to neighbour-pattern is not mirrored") in out


def test_quiet_prints_only_errors(catalogue_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_case(catalogue_dir, "positive", "minimal-valid")
    assert main(["validate", str(catalogue_dir), "--today", FIXED_TODAY, "-q"]) == 0
    assert capsys.readouterr().out == ""


def test_schema_command_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "failure_edges" in schema["required"] and "when_not_to_use" in schema["required"]


def _run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "patternbook", *arguments], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(PROJECT / "src")})


def test_hostile_bundle_gives_diagnostics_not_a_traceback(catalogue_dir: Path) -> None:
    for name in ("yaml-python-tag", "unexpected-file", "yaml-alias-bomb", "invalid-utf8"):
        _with_case(catalogue_dir, "negative", name)
    result = _run("validate", str(catalogue_dir), "--today", FIXED_TODAY, cwd=catalogue_dir.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "PB102" in result.stdout and "PB006" in result.stdout and "PB103" in result.stdout
    assert not list(catalogue_dir.parent.rglob("canary"))


def test_help_starts_without_heavy_imports() -> None:
    probe = ("import sys; from patternbook.cli import build_parser; build_parser().format_help(); "
             "heavy = {'pydantic', 'yaml', 'jinja2', 'markdown', 'diagrams', 'mkdocs'} & set(sys.modules); "
             "print(sorted(heavy))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(PROJECT / "src")})
    assert result.stdout.strip() == "[]", result.stderr


def test_validate_needs_no_graphviz(catalogue_dir: Path, tmp_path: Path) -> None:
    _with_case(catalogue_dir, "positive", "minimal-valid")
    bare_path = tmp_path / "bin"
    bare_path.mkdir()
    result = subprocess.run([sys.executable, "-m", "patternbook", "validate", str(catalogue_dir), "--today",
                             FIXED_TODAY], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PATH": str(bare_path), "PYTHONPATH": str(PROJECT / "src")})
    assert result.returncode == 0, result.stdout + result.stderr
