"""The security model's table of output contexts, read from :mod:`patternbook.escaping` itself.

The escaping module's docstring holds the table of every output context and
its one function; the handbook prints that table rather than a copy of it,
and checks that each function it names exists in the module.
"""

from __future__ import annotations

import re

from patternbook import escaping
from patternbook.reference.markdown import inline_text, table

__all__ = ["escaping_contexts", "escaping_table"]

_RULER = re.compile(r"^=+\s+=+$")
_FUNCTION = re.compile(r":(?:func|class):`~?(?:[\w.]+\.)?(\w+)`")


def escaping_contexts() -> list[tuple[str, tuple[str, ...], str]]:
    """``(output context, function names, note)`` for each row of the docstring's table.

    A row is read up to its first ``:func:`` role rather than by column width: a few
    contexts are wider than the table's first column."""
    lines = (escaping.__doc__ or "").splitlines()
    rulers = [index for index, line in enumerate(lines) if _RULER.match(line.strip())]
    if len(rulers) < 3:
        raise ValueError("patternbook.escaping's docstring has no table of output contexts")
    rows = []
    for line in lines[rulers[1] + 1:rulers[2]]:
        first = _FUNCTION.search(line)
        if not first:
            raise ValueError(f"no function named in the escaping table's row {line!r}")
        names = tuple(_FUNCTION.findall(line))
        note = _FUNCTION.sub(lambda match: f"``{match.group(1)}``", line[first.end():]).strip()
        rows.append((line[:first.start()].strip(), names, note))
    for _, names, _ in rows:
        for name in names:
            if not callable(getattr(escaping, name, None)):
                raise ValueError(f"the escaping table names {name}, which patternbook.escaping does not define")
    return rows


def escaping_table() -> str:
    """Markdown: the output contexts and their functions."""
    rows = [(inline_text(context), inline_text(names[0], code=True), inline_text(note, docstring=True))
            for context, names, note in escaping_contexts()]
    return table(("Output context", "Function", "Note"), rows)
