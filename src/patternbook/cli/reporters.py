"""Reporters, chosen by name: each turns a list of diagnostics into output text."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from patternbook.errors import Diagnostic
from patternbook.escaping import terminal_text
from patternbook.loader import MAX_FILE_BYTES

__all__ = ["REPORTERS", "report_github", "report_json", "report_text"]


def _summary(diagnostics: list[Diagnostic], checked: int) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    noun = "bundle" if checked == 1 else "bundles"
    if not diagnostics:
        return f"{checked} {noun} valid"
    return f"{errors} error(s), {warnings} warning(s) in {checked} {noun}"


_RED, _YELLOW, _CYAN, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[36m", "\033[1m", "\033[0m"


#: File-level refusals (unreadable, encoding, control characters, size,
#: symlink, unexpected or missing file, bad folder name): the loader did not
#: read that file, so the report does not either.
_REFUSED_FILE_CODES = frozenset(f"PB00{n}" for n in range(1, 9))
#: A source line longer than this is shown as a window around the column.
MAX_SHOWN_CHARS = 120


def _opens_nothing_else(path: Path) -> bool:
    """No part of the path is a symlink: the text shown is the file the loader
    read, never a file a link points at (a folder on a symlinked path shows no
    excerpts, which loses nothing but convenience)."""
    parts = Path(os.path.abspath(path)).parts
    for end in range(1, len(parts) + 1):
        try:
            if stat.S_ISLNK(os.lstat(Path(*parts[:end])).st_mode):
                return False
        except OSError:
            return False
    return True


class _SourceLines:
    """Reads each reported file once, to quote the offending line: only regular
    files reached without a symlink, never more than the loader's size limit."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def _read(self, path: str) -> list[str]:
        target = Path(path)
        if not _opens_nothing_else(target):
            return []
        try:
            descriptor = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return []
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return []
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return []
        return data.decode("utf-8", "replace").splitlines()

    def line(self, diagnostic: Diagnostic) -> str | None:
        if diagnostic.code in _REFUSED_FILE_CODES:
            return None
        if diagnostic.path not in self._files:
            self._files[diagnostic.path] = self._read(diagnostic.path)
        lines = self._files[diagnostic.path]
        return lines[diagnostic.line - 1] if 0 < diagnostic.line <= len(lines) else None


def _excerpt(source: str, column: int) -> tuple[str, int]:
    """The source line as shown (control and direction characters made visible
    as '?', long lines cut to a window around the column) and the caret's column."""
    shown = terminal_text(source.replace("\t", " "))
    if len(shown) <= MAX_SHOWN_CHARS:
        return shown, column
    start = max(0, min(column - 1 - MAX_SHOWN_CHARS // 2, len(shown) - MAX_SHOWN_CHARS))
    window = shown[start:start + MAX_SHOWN_CHARS]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + MAX_SHOWN_CHARS < len(shown) else ""
    return prefix + window + suffix, column - start + len(prefix)


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
        # Every field is contributor text (a file name, a YAML key, a quoted value), which YAML
        # escapes can fill with terminal control sequences: each is printed as terminal text.
        path, field, message = terminal_text(d.path), terminal_text(d.field), terminal_text(d.message)
        shown_code = terminal_text(d.code)
        code = paint(shown_code, _BOLD, _RED) if d.is_error else paint("warning", _BOLD, _YELLOW) + " " + shown_code
        subject = f" {field}:" if field else ""
        out.append(f"{paint(f'{path}:{d.line}:{d.column}:', _BOLD)} {code}{subject} {message}")
        source = sources.line(d)
        if source is not None and source.strip():
            shown, caret = _excerpt(source, d.column)
            gutter = " " * len(str(d.line))
            out.append(f" {d.line} | {shown}")
            out.append(f" {gutter} | {' ' * (caret - 1)}{paint('^', _BOLD, _RED if d.is_error else _YELLOW)}")
        if d.hint:
            out.append(f"   {paint('fix:', _CYAN)} {terminal_text(d.hint)}")
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
    # ASCII with \u escapes: the values read back exactly, and none reaches a terminal raw.
    }, indent=2, ensure_ascii=True, allow_nan=False)


def _escape_data(text: str) -> str:
    """A workflow command's message: terminal text (the log viewer reads ANSI sequences), then
    GitHub's escapes for ``%``, CR and LF, so no value can end the command or start another."""
    return terminal_text(text, keep_newlines=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value (``file=…``): as a message, plus ``:`` and ``,``,
    which would end the value or the property list."""
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
