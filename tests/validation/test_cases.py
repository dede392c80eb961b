"""Fixture bundles, parametrized from the folder listing.

Each case folder is a bundle; it is copied into the fixture catalogue and
validated. ``expected.txt`` beside a negative case is its golden output: every
diagnostic with file, line, column, code and field.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY, compare_golden

CASES = Path(__file__).parent / "cases"
POSITIVE = sorted(p for p in (CASES / "positive").iterdir() if p.is_dir())
NEGATIVE = sorted(p for p in (CASES / "negative").iterdir() if p.is_dir())
TODAY = datetime.date.fromisoformat(FIXED_TODAY)


def _install(case: Path, catalogue: Path) -> Path:
    target = catalogue / case.name
    shutil.copytree(case, target, ignore=shutil.ignore_patterns("expected.txt"))
    return target


@pytest.mark.parametrize("case", POSITIVE, ids=[p.name for p in POSITIVE])
def test_positive_case_validates_cleanly(case: Path, catalogue_dir: Path) -> None:
    # The positive cases form one catalogue with the fixtures: the fixtures relate to them.
    for each in POSITIVE:
        _install(each, catalogue_dir)
    report = validate_paths([catalogue_dir], today=TODAY, strict=True)
    assert [d.format() for d in report.diagnostics] == []
    assert case.name in report.patterns or case.name in report.anti_patterns


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_negative_case_is_rejected_with_positions(case: Path, catalogue_dir: Path, update_goldens: bool) -> None:
    bundle = _install(case, catalogue_dir)
    report = validate_paths([bundle], today=TODAY)
    assert report.diagnostics
    if report.errors:  # a case of warnings only (a review past due) still validates
        assert case.name not in report.patterns
    for diagnostic in report.errors:
        assert diagnostic.path.startswith(f"catalogue/{case.name}"), diagnostic.format()
        assert diagnostic.line >= 1 and diagnostic.column >= 1
    output = "".join(d.format() + "\n" for d in report.diagnostics)
    compare_golden(output, case / "expected.txt", update_goldens)
