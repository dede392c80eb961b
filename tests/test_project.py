"""Project-wide guards: lint, the import-layer contract, and the shipped catalogue."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from patternbook.validation import validate_paths
from tests.conftest import PROJECT

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    return shutil.which(name, path=str(BIN)) or shutil.which(name) or name


def test_ruff_is_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "--no-cache", "src", "tests", "benchmarks"], cwd=PROJECT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_import_only_downward() -> None:
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def test_shipped_catalogue_validates_with_no_warnings() -> None:
    report = validate_paths([PROJECT / "patterns"], strict=True)
    assert [d.format() for d in report.diagnostics] == []
    assert len(report.patterns) >= 3


def test_shipped_catalogue_meets_the_content_bar() -> None:
    """The bar the content issue sets for every shipped pattern."""
    report = validate_paths([PROJECT / "patterns"])
    patterns = report.patterns.values()
    assert len(report.patterns) >= 30
    assert len({p.category for p in patterns}) >= 5
    assert len(report.catalogue.series) >= 3
    for pattern in patterns:
        assert len(pattern.failure_edges) >= 3, pattern.slug
        assert len(pattern.relations) >= 2, pattern.slug
        assert pattern.cost.estimate.high > 0, pattern.slug
        assert pattern.diagrams, pattern.slug
        assert pattern.cost.estimate.as_of and pattern.cost.estimate.assumptions, pattern.slug
        assert pattern.operations.runbooks and pattern.operations.skills, pattern.slug
        for repository in pattern.repositories:
            # Pinned: the description was checked at this commit and the page links the tree there.
            assert re.fullmatch(r"[0-9a-f]{40}", repository.ref), (pattern.slug, repository.url)
            assert f"/tree/{repository.ref}" in repository.tree_url, (pattern.slug, repository.url)
    before_after = {d.role for d in report.patterns["cross-account-cross-region-dr"].diagrams}
    assert {"before", "after"} <= before_after
