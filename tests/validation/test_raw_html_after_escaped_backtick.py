"""Validation and the page agree on what raw HTML is: the prose parser decides
(``prose_markup``), the line rules only place it, so raw HTML that a line rule
mistakes for code is still reported, each fragment where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from patternbook.loader.markdown_document import parse_markdown
from patternbook.loader.source import SourceText
from patternbook.pages.prose import render_prose
from patternbook.validation.markdown_rules import check_solution, prose_markup


def _raw_html_lines(text: str) -> list[int]:
    problems = check_solution(parse_markdown(SourceText(Path("solution.md"), "solution.md", text)), ())
    return sorted({d.line for d in problems if d.code == "PB402"})


@pytest.mark.parametrize(("text", "lines"), [
    ("Text \\` <b>x</b> more `\n\nFine.\n\n<i>y</i>\n", [1, 5]),  # the escaped backtick hid line 1
    ("a \\`` <b>x</b> ``\n\nb <i>y</i>\n", [1, 3]),
    ("- \\` <img src=x onerror=alert(1)> `\n- <b>z</b>\n", [1, 2]),
])
def test_every_line_with_raw_html_the_sanitiser_removes_is_reported(text: str, lines: list[int]) -> None:
    assert prose_markup(text)[0], "the parser sees raw HTML"
    assert "<b>" not in render_prose(text) and "<img" not in render_prose(text)  # the sanitiser removes it
    assert _raw_html_lines(text) == lines


def test_code_is_not_raw_html() -> None:
    assert _raw_html_lines("Use `List<T>` and\n\n```\n<b>x</b>\n```\n") == []
