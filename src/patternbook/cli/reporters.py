"""Reporters, chosen by name: each turns a list of diagnostics into output text."""

from __future__ import annotations

import json
from collections.abc import Callable

from patternbook.errors import Diagnostic

__all__ = ["REPORTERS", "report_github", "report_json", "report_text"]


def _summary(diagnostics: list[Diagnostic], checked: int) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    noun = "bundle" if checked == 1 else "bundles"
    if not diagnostics:
        return f"{checked} {noun} valid"
    return f"{errors} error(s), {warnings} warning(s) in {checked} {noun}"


def report_text(diagnostics: list[Diagnostic], checked: int, quiet: bool = False) -> str:
    lines = [d.format() for d in diagnostics if not (quiet and not d.is_error)]
    if not quiet:
        lines.append(_summary(diagnostics, checked))
    return "\n".join(lines)


def report_json(diagnostics: list[Diagnostic], checked: int, quiet: bool = False) -> str:
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


def report_github(diagnostics: list[Diagnostic], checked: int, quiet: bool = False) -> str:
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


REPORTERS: dict[str, Callable[[list[Diagnostic], int, bool], str]] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
}
