"""Reporters, chosen by name: each turns a list of diagnostics into output text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from patternbook.errors import Diagnostic

__all__ = ["REPORTERS", "report_github", "report_json", "report_text"]


def _summary(diagnostics: list[Diagnostic], checked: int) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    noun = "bundle" if checked == 1 else "bundles"
    if not diagnostics:
        return f"{checked} {noun} valid"
    return f"{errors} error(s), {warnings} warning(s) in {checked} {noun}"


_RED, _YELLOW, _CYAN, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[36m", "\033[1m", "\033[0m"


class _SourceLines:
    """Reads each reported file once, to quote the offending line."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self._files:
            try:
                self._files[path] = Path(path).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._files[path] = []
        lines = self._files[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


def report_text(diagnostics: list[Diagnostic], checked: int, quiet: bool = False, color: bool = False) -> str:
    """Compiler-style: the position line, the source line, a caret under the
    column, and the fix where one is known."""

    def paint(text: str, *codes: str) -> str:
        return "".join(codes) + text + _RESET if color else text

    sources = _SourceLines()
    out: list[str] = []
    for d in diagnostics:
        if quiet and not d.is_error:
            continue
        code = paint(d.code, _BOLD, _RED) if d.is_error else paint("warning", _BOLD, _YELLOW) + " " + d.code
        subject = f" {d.field}:" if d.field else ""
        out.append(f"{paint(f'{d.path}:{d.line}:{d.column}:', _BOLD)} {code}{subject} {d.message}")
        source = sources.line(d.path, d.line)
        if source is not None and source.strip():
            shown = source.replace("\t", " ")
            gutter = " " * len(str(d.line))
            out.append(f" {d.line} | {shown}")
            out.append(f" {gutter} | {' ' * (d.column - 1)}{paint('^', _BOLD, _RED if d.is_error else _YELLOW)}")
        if d.hint:
            out.append(f"   {paint('fix:', _CYAN)} {d.hint}")
    if not quiet:
        out.append(_summary(diagnostics, checked))
    return "\n".join(out)


def report_json(diagnostics: list[Diagnostic], checked: int, quiet: bool = False, color: bool = False) -> str:
    errors = sum(d.is_error for d in diagnostics)
    return json.dumps({
        "valid": errors == 0,
        "bundles_checked": checked,
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "diagnostics": [d.to_dict() for d in diagnostics],
    }, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(diagnostics: list[Diagnostic], checked: int, quiet: bool = False, color: bool = False) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on
    the exact line of the pull request's diff."""
    lines = []
    for d in diagnostics:
        level = "error" if d.is_error else "warning"
        title = f"{d.code} {d.field}".strip()
        message = d.message + (f" ({d.hint})" if d.hint else "")
        lines.append(
            f"::{level} file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"title={_escape_property(title)}::{_escape_data(message)}")
    if not quiet:
        lines.append(_summary(diagnostics, checked))
    return "\n".join(lines)


REPORTERS: dict[str, Callable[[list[Diagnostic], int, bool, bool], str]] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
}
