"""Hostile inputs against the whole tool chain.

Every case must end the same way: a non-zero exit, a diagnostic naming the file,
the line and the field, no traceback, nothing executed (no canary file appears)
and the previously built site left byte-identical by the failed build.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_CATALOGUE, PROJECT, copy_project, mkdocs_build

CASES = Path(__file__).parents[1] / "validation" / "cases" / "negative"
#: Neighbour names of the fixture catalogue, mapped onto the shipped catalogue.
FIXTURE_TO_SHIPPED = {"spikes-overwhelm": "traffic-spikes-overwhelm", "neighbour-pattern": "queue-based-load-leveling",
                      "neighbor-pattern": "queue-based-load-levelling",
                      "neighbour-anti-pattern": "synchronous-call-chain"}
POSITION = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<column>\d+): (?:warning )?(?P<code>PB\d{3})", re.M)


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A site a failed build must leave as it was: what it holds does not matter, so it is the small
    catalogue's, built in a second or two rather than the shipped catalogue's several."""
    project = copy_project(tmp_path_factory.mktemp("pristine") / "library", small=True)
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site, _digest(site)


def _install_fixture_case(name: str, into_shipped: bool = True) -> Callable[[Path], None]:
    """Copies the negative fixture ``name`` into a catalogue; in the shipped one its
    references to the fixture catalogue's bundles point at shipped bundles instead."""

    def install(project: Path) -> None:
        target = project / "patterns" / name
        shutil.copytree(CASES / name, target, ignore=shutil.ignore_patterns("expected.txt"))
        for file in target.iterdir():
            if into_shipped and file.is_file() and not file.is_symlink() and file.suffix in (".yaml", ".md"):
                data = file.read_bytes()
                for old, new in FIXTURE_TO_SHIPPED.items():
                    data = data.replace(old.encode(), new.encode())
                file.write_bytes(data)

    return install


def _expected(name: str) -> tuple[str, str, str]:
    """(code, file name, field) of the first error in the case's golden file (warnings may come first)."""
    lines = (CASES / name / "expected.txt").read_text().splitlines()
    first = next(line for line in lines if ": warning PB" not in line)
    match = re.match(r"^catalogue/[^:]*?(?P<file>[^/:]*):\d+:\d+: (?P<code>PB\d{3})(?: (?P<field>[^\s:]+):)?", first)
    return match["code"], match["file"], match["field"] or ""


def _edit(relative: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "patterns" / relative
        path.write_text(change(path.read_text()))

    return apply


def _write(relative: str, content: bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / "patterns" / relative).write_bytes(content)

    return apply


def _symlink(relative: str, target: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "patterns" / relative
        path.unlink()
        path.symlink_to(target)

    return apply


def _rename(old: str, new: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        (project / "patterns" / old).rename(project / "patterns" / new)

    return apply


def _many_edges(text: str) -> str:
    edges = "".join(f"      - {{from: client, to: api, label: e{i}}}\n" for i in range(2000))
    return text.replace("    edges:\n", "    edges:\n" + edges, 1)


DYNAMIC_CASES: dict[str, tuple[Callable[[Path], None], str, str, str]] = {
    "five-megabyte-file": (_write("bulkhead/pattern.yaml", b"title: x\n" + b"# padding\n" * 524288),
                           "PB004", "pattern.yaml", ""),
    "symlink-to-passwd": (_symlink("bulkhead/solution.md", "/etc/passwd"), "PB005", "solution.md", ""),
    "deeply-nested-markdown": (_edit("bulkhead/solution.md", lambda t: t + "\n" + "> " * 500 + "deep\n"),
                               "PB405", "solution.md", "solution"),
    "nested-list-recursion": (_edit("bulkhead/solution.md",
                                    lambda t: t + "\n" + "\n".join("    " * i + "- x" for i in range(300)) + "\n"),
                              "PB405", "solution.md", "solution"),
    "bracket-quadratic": (_edit("bulkhead/solution.md", lambda t: t + "\n" + "[" * 3000 + "\n"),
                          "PB405", "solution.md", "solution"),
    "two-thousand-edges": (_edit("circuit-breaker/pattern.yaml", _many_edges), "PB503", "pattern.yaml",
                           "diagrams[0].edges"),
    "graphviz-attribute-field": (_edit("circuit-breaker/pattern.yaml", lambda t: t.replace(
        "        kind: onprem.client.Client\n",
        "        kind: onprem.client.Client\n        URL: javascript:alert(1)\n", 1)),
                                 "PB202", "pattern.yaml", "diagrams[0].nodes[0].URL"),
    "traversal-in-relation": (_edit("circuit-breaker/pattern.yaml", lambda t: t.replace(
        "pattern: bulkhead", "pattern: ../../etc/passwd", 1)), "PB207", "pattern.yaml", "relations[1].pattern"),
    # The path is shown as terminal text: the invisible character prints as "?".
    "zero-width-in-slug": (_rename("bulkhead", "bulk\u200bhead"), "PB008", "bulk?head", "slug"),
    "bidi-in-slug": (_rename("bulkhead", "bulk\u202ehead"), "PB008", "bulk?head", "slug"),
    "empty-when-not-to-use": (_edit("bulkhead/pattern.yaml", lambda t: re.sub(
        r"when_not_to_use:\n(  - .*\n)+", "when_not_to_use: []\n", t, count=1)),
                              "PB208", "pattern.yaml", "when_not_to_use"),
}
#: Every negative fixture that holds an error; a case of warnings only (a review past due) is not refused.
FIXTURE_CASES = sorted(p.name for p in CASES.iterdir()
                       if p.is_dir() and any(": warning PB" not in line
                                             for line in (p / "expected.txt").read_text().splitlines()))
ALL_CASES = [*FIXTURE_CASES, *DYNAMIC_CASES]
#: The cases also run as the README runs them: ``patternbook validate`` and ``mkdocs build``
#: in subprocesses over the shipped catalogue, with the previous site checked byte for byte.
#: One of each kind of harm (size, symlink, recursion, diagram limits, attribute smuggling,
#: invisible characters, a YAML bomb, raw HTML); every other case runs in-process, where
#: validation and the library build are the same code without two interpreter start-ups.
SUBPROCESS_CASES = ["five-megabyte-file", "symlink-to-passwd", "nested-list-recursion", "two-thousand-edges",
                    "graphviz-attribute-field", "zero-width-in-slug", "yaml-alias-bomb", "raw-html-in-solution"]


def _case(name: str) -> tuple[Callable[[Path], None], str, str, str]:
    if name in DYNAMIC_CASES:
        return DYNAMIC_CASES[name]
    return (_install_fixture_case(name), *_expected(name))


def test_there_are_at_least_thirty_hostile_cases() -> None:
    assert len(ALL_CASES) >= 30
    assert set(SUBPROCESS_CASES) <= set(ALL_CASES)


def _assert_positioned(output: str, code: str, file_name: str, field: str) -> None:
    assert "Traceback" not in output
    matches = [m for m in POSITION.finditer(output) if m["code"] == code]
    assert matches, f"no {code} in:\n{output[-2000:]}"
    assert any(m["path"].endswith(file_name) and int(m["line"]) >= 1 for m in matches)
    if field:
        assert re.search(rf"{code} {re.escape(field)}:", output), output[-2000:]


@pytest.mark.parametrize("name", ALL_CASES)
def test_hostile_input_is_refused_in_process(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """``patternbook validate`` (in-process) names the file, line and field; the library build refuses
    the catalogue with the same diagnostics and nothing runs."""
    from patternbook.cli import main
    from patternbook.errors import ValidationFailed
    from patternbook.pipeline.build import LibrarySettings, build_library

    mutate, code, file_name, field = _case(name)
    project = tmp_path / "library"
    if name in DYNAMIC_CASES:  # they edit bundles of the shipped catalogue by name
        shutil.copytree(PROJECT / "patterns", project / "patterns")
    else:
        shutil.copytree(FIXTURE_CATALOGUE, project / "patterns")
        _install_fixture_case(name, into_shipped=False)(project)
        mutate = None
    if mutate:
        mutate(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("NO_COLOR", "1")

    assert main(["validate", "patterns"]) == 1
    captured = capsys.readouterr()
    _assert_positioned(captured.out + captured.err, code, file_name, field)

    with pytest.raises(ValidationFailed) as refused:
        build_library(LibrarySettings(project / "patterns", PROJECT / "templates", tmp_path / "cache"))
    assert any(d.code == code for d in refused.value.diagnostics)
    assert not list(tmp_path.rglob("canary")) and not Path("canary").exists()


@pytest.mark.site
@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_hostile_input_is_refused_by_the_commands(name: str, tmp_path: Path,
                                                  previous_site: tuple[Path, dict[str, str]]) -> None:
    site, before = previous_site
    mutate, code, file_name, field = _case(name)
    project = copy_project(tmp_path / "library")
    mutate(project)

    validate = subprocess.run([sys.executable, "-m", "patternbook", "validate", "patterns"], cwd=project,
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "NO_COLOR": "1"})
    output = validate.stdout + validate.stderr
    assert validate.returncode == 1, output[-2000:]
    _assert_positioned(validate.stdout, code, file_name, field)
    assert "Traceback" not in output

    build = mkdocs_build(project, site)
    assert build.returncode != 0
    assert "Traceback" not in build.stderr + build.stdout
    assert _digest(site) == before
    assert not list(tmp_path.rglob("canary")) and not Path("canary").exists()
