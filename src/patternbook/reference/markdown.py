"""Markdown for the generated reference pages, every piece of text through :mod:`patternbook.escaping`.

The reference shows text from the code (docstrings, help strings, diagnostic
messages) and from test fixtures, which hold hostile input on purpose (NUL,
bidi overrides, ``<script>``). Each lands in one Markdown context and goes
through that context's escaping function: table cells and inline text through
:func:`~patternbook.escaping.markdown_inline`, fixture lines through
:func:`~patternbook.escaping.terminal_text` (invisible characters shown as
``?``, as ``patternbook validate`` quotes them) inside a fence no line can close.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from patternbook.escaping import markdown_inline, terminal_text

__all__ = ["fenced", "inline_text", "table"]

#: ``code`` in a docstring (reStructuredText's inline literal).
_DOCSTRING_CODE = re.compile(r"``(.+?)``")
_BACKTICK_RUN = re.compile(r"`+")


def inline_text(text: str, *, code: bool = False, docstring: bool = False) -> str:
    """``text`` on one line of Markdown (a table cell, a list item), shown literally.

    ``code`` shows all of it as code; ``docstring`` shows its ````literals```` as code.
    Code is a ``<code>`` element around escaped text, not a backtick span: inside a
    backtick span a backslash is literal, so a ``|`` could not be kept from ending a
    table cell."""
    flat = " ".join(text.split())
    if code:
        return f"<code>{markdown_inline(flat)}</code>" if flat else ""
    if not docstring:
        return str(markdown_inline(flat))
    parts = _DOCSTRING_CODE.split(flat)
    return "".join(inline_text(part, code=True) if index % 2 else str(markdown_inline(part))
                   for index, part in enumerate(parts))


def table(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; ``columns`` are our own words, ``rows`` hold cells already escaped."""
    lines = ["| " + " | ".join(str(markdown_inline(column)) for column in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def fenced(lines: Iterable[str], language: str = "") -> str:
    """A fenced code block showing ``lines`` literally: controls and invisible characters
    as ``?``, and a fence longer than any run of backticks inside, so no line closes it."""
    shown = [terminal_text(line) for line in lines]
    longest = max((len(run) for line in shown for run in _BACKTICK_RUN.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + language, *shown, fence]) + "\n"
