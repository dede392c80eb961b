"""The diagnostics reference: every code of the registry with a snippet known to produce it.

Meaning and fix come from the registry (:data:`~patternbook.errors.CODES`,
:data:`~patternbook.errors.FIXES`). The snippet comes from the negative
validation fixtures (``tests/validation/cases/negative/<case>/``): each case
holds the bundle and ``expected.txt``, the golden list of every diagnostic the
validator gives for it, checked by the test suite. Reading the goldens tells,
for every code, a case, a file and a line that really produce it, without
running the validator while the handbook builds; a test runs it on every
snippet shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from patternbook.errors import CODES, FIXES
from patternbook.reference.markdown import fenced, inline_text

__all__ = ["CodeExample", "code_examples", "codes_without_example", "diagnostics_reference"]

#: The golden output beside each negative case.
GOLDEN_FILE = "expected.txt"
#: Lines shown before and after the flagged one.
CONTEXT_LINES = 2
#: ``catalogue/<case>/<file>:<line>:<col>: [warning ]PBnnn[ field]: message`` (Diagnostic.format()).
_GOLDEN_LINE = re.compile(
    r"^catalogue/(?P<case>[^/:]+)(?:/(?P<file>[^:]+))?:(?P<line>\d+):(?P<column>\d+): "
    r"(?P<warning>warning )?(?P<code>PB\d{3})(?: (?P<field>[^ :]+):)? (?P<message>.*)$")


@dataclass(frozen=True)
class CodeExample:
    """Where a negative fixture produces a code: the case folder, the file and position, and
    what ``patternbook validate`` said there (from the case's golden output)."""

    code: str
    case: Path
    file: str
    """The bundle file, relative to the case; empty when the diagnostic is about the folder."""
    line: int
    column: int
    said: str
    """The diagnostic as ``patternbook validate`` prints it."""
    diagnostics_in_case: int

    def snippet(self) -> str:
        """The flagged line with its neighbours, numbered, a caret under the column."""
        target = self.case / self.file if self.file else self.case
        if not target.is_file():  # the folder itself, or a file the bundle lacks
            names = sorted(p.name for p in self.case.iterdir() if p.name != GOLDEN_FILE)
            return fenced([f"{self.case.name}/", *(f"  {name}" for name in names)], "text")
        lines = target.read_bytes().decode("utf-8", errors="replace").splitlines() or [""]
        first = max(1, self.line - CONTEXT_LINES)
        last = min(len(lines), self.line + CONTEXT_LINES)
        width = len(str(last))
        shown = []
        for number in range(first, last + 1):
            shown.append(f"{number:>{width}} | {lines[number - 1]}")
            if number == self.line:
                shown.append(f"{'':>{width}} | {' ' * (self.column - 1)}^")
        return fenced(shown, "text")


def code_examples(negative_cases: Path) -> dict[str, CodeExample]:
    """For each code that a negative case's golden output holds, the case that shows it best:
    the one with the fewest diagnostics (the clearest), then by name."""
    found: dict[str, CodeExample] = {}
    for case in sorted(p for p in negative_cases.iterdir() if (p / GOLDEN_FILE).is_file()):
        said = (case / GOLDEN_FILE).read_text(encoding="utf-8").splitlines()
        for text in said:
            match = _GOLDEN_LINE.match(text)
            if not match or match["case"] != case.name:
                continue
            example = CodeExample(match["code"], case, match["file"] or "", int(match["line"]),
                                  int(match["column"]), text, len(said))
            best = found.get(example.code)
            if best is None or example.diagnostics_in_case < best.diagnostics_in_case:
                found[example.code] = example
    return found


def codes_without_example(negative_cases: Path, codes: Mapping[str, str] = CODES) -> list[str]:
    """Registered codes that no negative fixture produces (the reference shows them without a snippet)."""
    examples = code_examples(negative_cases)
    return sorted(code for code in codes if code not in examples)


_AREAS = {"0": "Files and bytes", "1": "YAML", "2": "Fields", "3": "Across bundles", "4": "Markdown",
          "5": "Diagrams", "6": "Cost model"}


def diagnostics_reference(negative_cases: Path, codes: Mapping[str, str] = CODES,
                          fixes: Mapping[str, str] = FIXES) -> str:
    """Markdown: a section per code, grouped by area, with meaning, fix and a failing snippet."""
    examples = code_examples(negative_cases)
    parts: list[str] = []
    area = None
    for code in sorted(codes):
        this_area = _AREAS.get(code[2], "Other")
        if this_area != area:
            area = this_area
            parts.append(f"## {inline_text(area)}\n")
        parts.append(f"### {inline_text(code)}: {inline_text(codes[code])}\n")
        fix = fixes.get(code)
        parts.append(f"**Fix.** {inline_text(fix)}\n" if fix else "**Fix.** No fix is recorded for this code yet.\n")
        example = examples.get(code)
        if example is None:
            parts.append("No validation fixture produces this code yet, so no snippet is shown.\n")
            continue
        where = f"{example.case.name}/{example.file}" if example.file else f"{example.case.name}/"
        parts.append(f"From the test fixture {inline_text(where, code=True)}, line {example.line}:\n")
        parts.append(example.snippet())
        parts.append("`patternbook validate` says:\n")
        parts.append(fenced([example.said], "text"))
    return "\n".join(parts)
