"""File-level safety: things that cannot be committed as fixtures (symlinks, huge
files) or that are about the reader itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patternbook.loader import MAX_FILE_BYTES, load_bundle, parse_yaml, read_source_text
from patternbook.loader.yaml_document import MAX_DEPTH, find_excess_nesting
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


def test_oversized_file_is_refused(catalogue_dir: Path) -> None:
    bundle = _bundle(catalogue_dir)
    (bundle / "pattern.yaml").write_text("title: x\n" + "# padding\n" * (5 * 1024 * 1024 // 10))
    diagnostics = load_bundle(bundle).diagnostics
    assert [d.code for d in diagnostics] == ["PB004"]
    assert f"{MAX_FILE_BYTES:,}" in diagnostics[0].message


DEEP_DOCUMENTS = {
    # name: (text, where the 25th collection opens)
    "flow, far beyond libyaml's own limit": ("a: " + "[" * 5000 + "]" * 5000 + "\n", (1, 27)),
    "flow, within libyaml's limit": ("a: " + "[" * 30 + "]" * 30 + "\n", (1, 27)),
    "block mappings": ("".join(" " * depth + f"k{depth}:\n" for depth in range(30)) + " " * 30 + "v\n", (25, 25)),
    "compact sequences": ("x:\n  " + "- " * 3000 + "v\n", (2, 49)),
    "mixed block and flow": ("a:\n  b:\n    c: " + "{k: " * 40 + "v" + "}" * 40 + "\n", (3, 92)),
}


@pytest.mark.parametrize("name", sorted(DEEP_DOCUMENTS))
def test_deep_nesting_is_our_pb101_whatever_libyaml_says(tmp_path: Path, name: str) -> None:
    text, position = DEEP_DOCUMENTS[name]
    deep = tmp_path / "deep.yaml"
    deep.write_text(text)
    diagnostics: list = []
    source = read_source_text(deep, diagnostics)
    assert parse_yaml(source, diagnostics) is None
    assert [(d.code, d.message, (d.line, d.column)) for d in diagnostics] == [
        ("PB101", f"nested more than {MAX_DEPTH} levels deep", position)]


@pytest.mark.parametrize("name", sorted(DEEP_DOCUMENTS))
def test_the_text_scan_agrees_with_the_event_check(name: str) -> None:
    """The scan that stands in when libyaml gives up finds the same place as the event loop."""
    text, position = DEEP_DOCUMENTS[name]
    assert find_excess_nesting(text) == position


def test_the_text_scan_ignores_brackets_in_quotes_comments_and_block_scalars() -> None:
    shallow = ("a: '" + "[" * 100 + "'\nb: \"" + "{" * 100 + "\"\n# " + "[" * 100 + "\n"
               "c: |\n  " + "[" * 100 + "\n  " + "- " * 100 + "x\nd: [1, [2, [3]]]\n")
    assert find_excess_nesting(shallow) is None


def test_every_value_has_its_position(tmp_path: Path) -> None:
    document_file = tmp_path / "doc.yaml"
    document_file.write_text("outer:\n  inner: [one, two]\n  text: |\n    block\n")
    diagnostics: list = []
    document = parse_yaml(read_source_text(document_file, diagnostics), diagnostics)
    assert document.values[("outer", "inner", 1)] == (2, 16)
    assert document.keys[("outer", "text")] == (3, 3)
    assert document.data == {"outer": {"inner": ["one", "two"], "text": "block\n"}}
