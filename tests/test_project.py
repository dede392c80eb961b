"""Project-wide guards: lint, the import-layer contract, the locks, and the shipped catalogue."""

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


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other in a ring."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_imports_itself_back_through_others() -> None:
    """Layers say which way packages import; this says no two modules import each other,
    directly or around a ring (a package's ``__init__`` importing a submodule that imports
    the package back counts). Imports under ``TYPE_CHECKING`` do not run and are left out."""
    import grimp

    graph = grimp.build_graph("patternbook", exclude_type_checking_imports=True)
    edges = {module: {target for target in graph.find_modules_directly_imported_by(module)
                      if target.startswith("patternbook")}
             for module in graph.modules if module.startswith("patternbook")}
    assert _strongly_connected(edges) == []


def test_the_ring_finder_finds_a_ring() -> None:
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _locked_versions(lock: str) -> dict[str, set[str]]:
    """Every package a lock pins, with its versions (a universal lock pins some twice, behind markers)."""
    pins: dict[str, set[str]] = {}
    for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", (PROJECT / "requirements" / lock).read_text(),
                                    flags=re.MULTILINE):
        pins.setdefault(name.lower(), set()).add(version)
    return pins


def test_material_and_materialx_are_locked_apart_with_the_same_shared_versions() -> None:
    """Both install a package named ``material``: the main lock holds Material only, the MaterialX
    lock MaterialX only, and what they share is pinned alike, so the MaterialX run of the suite
    differs from the ProperDocs run only in the theme."""
    main, materialx = _locked_versions("lock.txt"), _locked_versions("materialx.txt")
    assert "mkdocs-material" in main and "mkdocs-materialx" not in main
    assert {"mkdocs-materialx", "properdocs"} <= materialx.keys() and "mkdocs-material" not in materialx
    shared = main.keys() & materialx.keys()
    assert {name: materialx[name] for name in shared} == {name: main[name] for name in shared}, (
        "requirements/materialx.txt lags requirements/lock.txt: run bash scripts/lock")


def test_every_module_stays_under_450_lines() -> None:
    """A newcomer reads a module whole; past ~450 lines it holds more than one concept."""
    long = {str(path.relative_to(PROJECT)): lines for path in sorted((PROJECT / "src").rglob("*.py"))
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 450}
    assert not long, long


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


def test_shipped_anti_patterns_meet_the_content_bar() -> None:
    """At least five anti-patterns, each failing in three or more ordered ways and
    refactoring toward live patterns that the page can link."""
    report = validate_paths([PROJECT / "patterns"], strict=True)
    anti_patterns = report.anti_patterns.values()
    assert len(report.anti_patterns) >= 5
    assert not set(report.anti_patterns) & set(report.patterns)
    for anti_pattern in anti_patterns:
        assert len(anti_pattern.failure_edges) >= 3, anti_pattern.slug
        assert len(anti_pattern.signals) >= 3, anti_pattern.slug
        assert anti_pattern.symptoms and anti_pattern.diagrams, anti_pattern.slug
        for step in anti_pattern.refactor_to:
            assert report.patterns[step.pattern].status != "deprecated", (anti_pattern.slug, step.pattern)
    # Every anti-pattern is reachable from the relation graph through some other anti-pattern.
    linked = {r.pattern for a in anti_patterns for r in a.relations} | {
        a.slug for a in anti_patterns if a.relations}
    assert linked == set(report.anti_patterns)
