"""Shared fixtures. ``pytest --update-goldens`` rewrites golden files from the
current output; review the diff before committing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURE_CATALOGUE = TESTS / "fixtures" / "catalogue"
PROJECT = TESTS.parent
#: The date tests validate against, so review deadlines do not age the fixtures.
FIXED_TODAY = "2026-11-01"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def catalogue_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture catalogue; the working directory is its parent so
    diagnostics show short, stable paths (``catalogue/<slug>/pattern.yaml``)."""
    target = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, target)
    monkeypatch.chdir(tmp_path)
    return target


def compare_golden(actual: str, golden: Path, update: bool) -> None:
    if update or not golden.exists():
        golden.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {golden} was missing and has been written; review and rerun")
        return
    assert actual == golden.read_text(encoding="utf-8")
