"""The README and CONTRIBUTING stay short and point into the handbook; the field table, code list
and benchmark history live in the handbook, generated or dated."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PROJECT

LIMITS = {"README.md": 150, "CONTRIBUTING.md": 200}


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_front_page_is_short_and_links_the_handbook(name: str) -> None:
    text = (PROJECT / name).read_text(encoding="utf-8")
    assert len(text.splitlines()) <= LIMITS[name]
    assert "handbook" in text.lower()


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_front_page_holds_no_code_list_field_table_or_benchmark_history(name: str) -> None:
    text = (PROJECT / name).read_text(encoding="utf-8")
    assert len(set(re.findall(r"\bPB\d{3}\b", text))) <= 2, "diagnostic codes belong in the diagnostics reference"
    assert not re.search(r"^\|\s*`?(field|key)`?\s*\|", text, re.M | re.I), "a field table: the bundle reference"
    assert not re.search(r"^\|\s*`?(title|summary|failure_edges)`?\s*\|", text, re.M), "a field table"
    assert "## Benchmarks" not in text


def test_the_readme_links_resolve_into_the_handbook() -> None:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\((handbook/docs/[^)#]+)", text):
        assert (PROJECT / target).is_file(), target
