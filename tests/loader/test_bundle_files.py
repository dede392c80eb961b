"""File-level safety: things that cannot be committed as fixtures (symlinks, huge
files) or that are about the reader itself."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from patternbook.loader import MAX_FILE_BYTES, load_bundle, parse_yaml, read_source_text
from patternbook.validation import validate_paths

CASE = Path(__file__).parents[1] / "validation" / "cases" / "positive" / "minimal-valid"


def _bundle(catalogue: Path, name: str = "case-bundle") -> Path:
    target = catalogue / name
    shutil.copytree(CASE, target)
    return target


def test_symlinked_file_is_refused(catalogue_dir: Path) -> None:
    bundle = _bundle(catalogue_dir)
    (bundle / "solution.md").unlink()
    (bundle / "solution.md").symlink_to("/etc/passwd")
    codes = [(d.code, Path(d.path).name) for d in load_bundle(bundle).diagnostics]
    assert ("PB005", "solution.md") in codes


def test_symlinked_bundle_is_refused(catalogue_dir: Path) -> None:
    (catalogue_dir / "linked-bundle").symlink_to(_bundle(catalogue_dir))
    report = validate_paths([catalogue_dir])
    assert any(d.code == "PB005" and d.path.endswith("linked-bundle") for d in report.errors)


def test_oversized_file_is_refused_quickly(catalogue_dir: Path) -> None:
    bundle = _bundle(catalogue_dir)
    (bundle / "pattern.yaml").write_text("title: x\n" + "# padding\n" * (5 * 1024 * 1024 // 10))
    started = time.perf_counter()
    diagnostics = load_bundle(bundle).diagnostics
    assert time.perf_counter() - started < 1.0
    assert [d.code for d in diagnostics] == ["PB004"]
    assert f"{MAX_FILE_BYTES:,}" in diagnostics[0].message


def test_deep_nesting_stops_at_the_limit(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    diagnostics: list = []
    source = read_source_text(deep, diagnostics)
    assert parse_yaml(source, diagnostics) is None
    assert diagnostics[0].code == "PB101" and "nested more than" in diagnostics[0].message


def test_every_value_has_its_position(tmp_path: Path) -> None:
    document_file = tmp_path / "doc.yaml"
    document_file.write_text("outer:\n  inner: [one, two]\n  text: |\n    block\n")
    diagnostics: list = []
    document = parse_yaml(read_source_text(document_file, diagnostics), diagnostics)
    assert document.values[("outer", "inner", 1)] == (2, 16)
    assert document.keys[("outer", "text")] == (3, 3)
    assert document.data == {"outer": {"inner": ["one", "two"], "text": "block\n"}}
