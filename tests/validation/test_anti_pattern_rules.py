"""Cross-bundle rules of anti-patterns that a single negative bundle cannot show:
they need another bundle or ``catalogue.yaml`` changed too."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY

POSITIVE = Path(__file__).parent / "cases" / "positive"
TODAY = datetime.date.fromisoformat(FIXED_TODAY)


@pytest.fixture
def catalogue(catalogue_dir: Path) -> Path:
    for case in sorted(POSITIVE.iterdir()):
        shutil.copytree(case, catalogue_dir / case.name)
    return catalogue_dir


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _position(path: Path, needle: str, after: str = "") -> str:
    """``line:column`` of ``needle``'s first occurrence after the line holding ``after``."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    number = next(i for i in range(start, len(lines)) if needle in lines[i])
    return f"{number + 1}:{lines[number].index(needle) + 1}"


def _formatted(catalogue: Path, strict: bool = False) -> list[str]:
    return [d.format() for d in validate_paths([catalogue], today=TODAY, strict=strict).diagnostics]


def test_the_positive_catalogue_is_clean(catalogue: Path) -> None:
    assert _formatted(catalogue, strict=True) == []


def test_refactoring_toward_a_deprecated_pattern_names_its_successor(catalogue: Path) -> None:
    _edit(catalogue / "neighbour-pattern" / "pattern.yaml", "status: reviewed",
          "status: deprecated\nsuperseded_by: other-neighbour")
    found = [line for line in _formatted(catalogue) if "PB311" in line]
    target = ("neighbour-pattern", "refactor_to:")
    assert found == [
        f"catalogue/{slug}/pattern.yaml:{_position(catalogue / slug / 'pattern.yaml', *target)}: PB311 "
        "refactor_to[0].pattern: 'neighbour-pattern' is deprecated; refactor toward a live pattern "
        "(name its successor 'other-neighbour')"
        for slug in ("minimal-anti-pattern", "neighbour-anti-pattern")]


def test_found_with_must_be_mirrored_and_leads_to_need_not(catalogue: Path) -> None:
    _edit(catalogue / "minimal-anti-pattern" / "pattern.yaml", "type: leads_to", "type: found_with")
    report = validate_paths([catalogue], today=TODAY)
    assert [(d.code, d.field, d.is_error) for d in report.diagnostics] == [
        ("PB303", "relations[0].pattern", False)]
    assert "add {type: found_with, pattern: minimal-anti-pattern} to neighbour-anti-pattern" in report.diagnostics[
        0].format()


def test_a_series_may_not_list_an_anti_pattern(catalogue: Path) -> None:
    _edit(catalogue / "catalogue.yaml", "patterns: [neighbour-pattern, other-neighbour]",
          "patterns: [neighbour-pattern, neighbour-anti-pattern, other-neighbour]")
    at = _position(catalogue / "catalogue.yaml", "neighbour-anti-pattern")
    assert _formatted(catalogue) == [
        f"catalogue/catalogue.yaml:{at}: PB311 series[0].patterns[1]: series 'basics' lists "
        "'neighbour-anti-pattern', an anti-pattern; series list patterns (the patterns it refactors toward "
        "link back to it)"]


def test_a_subset_learns_the_kind_of_bundles_it_does_not_validate(catalogue: Path) -> None:
    """``validate one-bundle`` (and ``--changed-since``) still knows a target is an anti-pattern."""
    _edit(catalogue / "minimal-valid" / "pattern.yaml", "    pattern: neighbour-pattern\n",
          "    pattern: neighbour-anti-pattern\n")
    report = validate_paths([catalogue / "minimal-valid"], today=TODAY)
    assert [(d.code, d.field) for d in report.errors] == [("PB311", "relations[0].pattern")]
