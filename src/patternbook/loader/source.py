"""Reading contributor files as bytes we can trust: size, encoding, control characters."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from patternbook.errors import Diagnostic

__all__ = ["MAX_FILE_BYTES", "SourceText", "display_path", "read_source_text"]

#: No hand-written bundle file comes near this; a larger one is a mistake or an attack.
MAX_FILE_BYTES = 512 * 1024

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class SourceText:
    path: Path
    shown_as: str
    text: str


def display_path(path: Path) -> str:
    """Paths in diagnostics are relative to the working directory when they can be,
    so CI annotations land on the right file of the pull request."""
    text = str(path)
    here = os.getcwd()
    prefix = here.rstrip(os.sep) + os.sep
    if text.startswith(prefix):  # the common case, without relpath's normalising work
        return text[len(prefix):]
    try:
        return os.path.relpath(text, here)
    except ValueError:  # pragma: no cover - another drive on Windows
        return text


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def read_source_text(path: Path, diagnostics: list[Diagnostic]) -> SourceText | None:
    """Return the file's text, or ``None`` after recording why it cannot be used."""
    shown = display_path(path)
    try:
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            diagnostics.append(Diagnostic(shown, 1, 1, "PB005", "is a symlink; commit the file itself"))
            return None
        size = status.st_size
        if size > MAX_FILE_BYTES:
            diagnostics.append(Diagnostic(
                shown, 1, 1, "PB004",
                f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes per file"))
            return None
        data = path.read_bytes()
    except OSError as error:
        diagnostics.append(Diagnostic(shown, 1, 1, "PB001", f"cannot be read: {error.strerror}"))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        diagnostics.append(Diagnostic(shown, 1, 1, "PB002",
                                      "starts with a byte order mark; save as UTF-8 without BOM"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = data[: error.start].decode("utf-8", errors="replace")
        line, column = _position(prefix, len(prefix))
        diagnostics.append(Diagnostic(
            shown, line, column, "PB002",
            f"byte 0x{data[error.start]:02x} at offset {error.start} is not valid UTF-8"))
        return None
    control = _CONTROL.search(text)
    if control:
        line, column = _position(text, control.start())
        name = "NUL" if control.group() == "\x00" else f"U+{ord(control.group()):04X}"
        diagnostics.append(Diagnostic(shown, line, column, "PB003",
                                      f"contains the control character {name}"))
        return None
    return SourceText(path, shown, text)
