"""A catalogue large enough to be checked by worker processes reports exactly what
one process reports: the same diagnostics, in the same order, at the same
file:line:col, including cross-bundle ones found after the workers have returned
(whose positions come from documents that read cleanly and were located only then)."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from patternbook.validation import parallel, validate_paths
from tests.conftest import FIXTURE_CATALOGUE, MINIMAL_VALID

TODAY = datetime.date(2026, 11, 1)


def _catalogue(target: Path, count: int) -> Path:
    shutil.copytree(FIXTURE_CATALOGUE, target)
    text = (MINIMAL_VALID / "pattern.yaml").read_text(encoding="utf-8")
    for index in range(count):
        bundle = target / f"copy-{index:04d}"
        shutil.copytree(MINIMAL_VALID, bundle, ignore=shutil.ignore_patterns("expected.txt"))
        own = text.replace("title: Minimal valid pattern", f"title: Minimal valid pattern {index}", 1)
        if index % 50 == 7:  # a relation to nothing: found by the cross-bundle rules, on a clean document
            own = own.replace("pattern: neighbour-pattern", "pattern: nowhere-to-be-found", 1)
        if index % 50 == 11:  # a structural problem: found by the full pass inside a worker
            own = own.replace("title:", "title: !!str repeated\ntitle:", 1)
        (bundle / "pattern.yaml").write_text(own, encoding="utf-8")
    return target


def test_workers_report_what_one_process_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = _catalogue(tmp_path / "catalogue", parallel.PARALLEL_THRESHOLD + 10)
    in_workers = validate_paths([root], today=TODAY, keep_models=False)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 10**9)
    in_one_process = validate_paths([root], today=TODAY, keep_models=False)

    formatted = [d.format() for d in in_workers.diagnostics]
    assert formatted == [d.format() for d in in_one_process.diagnostics]
    assert in_workers.valid_slugs == in_one_process.valid_slugs
    codes = {d.code for d in in_workers.diagnostics}
    assert {"PB102", "PB104"} <= codes  # the tag and the repeated key
    missing = [d for d in in_workers.diagnostics if "nowhere-to-be-found" in d.message]
    assert missing and all(d.line > 1 and d.field == "relations[0].pattern" for d in missing), missing
