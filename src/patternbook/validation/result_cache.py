"""Each bundle's own checks, remembered by the bytes they read.

Checking one bundle on its own (its files, fields, prose, diagrams and costs) is
nearly all of ``patternbook validate``'s time, and between two runs almost every
bundle is unchanged. An entry is keyed by a SHA-256 of everything that result can
depend on: the bundle folder's listing and the bytes of its files, the catalogue
file (the vocabulary), the folder's path as diagnostics show it, the Python
version, the validating libraries' versions and the bytes of Patternbook's own
modules (so an edited rule is never answered from the cache). The
rules across bundles, and the dates checked against ``--today``, run on every
run from the small outlines the entries keep.

The file is JSON, not pickle: a cache restored from elsewhere is data to read,
never code to run, and an entry that does not have the expected shape is a miss.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from patternbook.errors import Diagnostic, Severity
from patternbook.loader import BUNDLE_FILES, PATTERN_FILE, RawBundle, SourceText, YamlDocument, display_path
from patternbook.loader.source import MAX_FILE_BYTES
from patternbook.validation.cross_bundle import PatternOutline, RelationOutline

__all__ = ["DEFAULT_CACHE_FILE", "ResultCache"]

#: Beside the diagram cache, which CI already keeps between runs.
DEFAULT_CACHE_FILE = Path(".cache/patternbook/validation.json")
#: Raised whenever the shape of an entry changes.
FORMAT = 1
#: Libraries whose behaviour is part of a bundle's result.
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "MarkupSafe")

BundleResult = tuple[RawBundle, Any, PatternOutline | None, list[Diagnostic]]


def _code_fingerprint() -> bytes:
    """Patternbook's own files by content (a fresh clone has new mtimes, the same bytes)."""
    import patternbook

    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}\0".encode())
        except PackageNotFoundError:  # pragma: no cover - a dependency always installs its metadata
            digest.update(f"{library}=?\0".encode())
    package = Path(patternbook.__file__).parent
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(os.fsencode(path.relative_to(package)) + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


class ResultCache:
    """Results of :func:`~patternbook.validation.validate_bundle` by content, in one JSON file."""

    def __init__(self, file: Path, catalogue_file: Path, kind_check: Callable[..., Any] | None) -> None:
        """``kind_check`` is the diagram node-kind check the results were made with (tests pass others)."""
        self.file = file
        digest = hashlib.sha256(_code_fingerprint())
        named = "none" if kind_check is None else f"{kind_check.__module__}.{kind_check.__qualname__}"
        digest.update(named.encode() + b"\0")
        digest.update(os.fsencode(os.getcwd()) + b"\0")
        try:
            digest.update(catalogue_file.read_bytes())
        except OSError:
            digest.update(b"\0no catalogue file\0")
        self._context = digest.digest()
        self._stored = self._read()
        self._fresh: dict[str, Any] = {}

    def _read(self) -> dict[str, Any]:
        try:
            stored = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries = stored.get("entries") if isinstance(stored, dict) and stored.get("format") == FORMAT else None
        return entries if isinstance(entries, dict) else {}

    def key(self, directory: Path) -> tuple[str, str | None] | None:
        """The bundle's key and its pattern.yaml text; None when a file cannot be read
        (the check reports that, uncached)."""
        digest = hashlib.sha256(self._context)
        digest.update(os.fsencode(directory) + b"\0" + os.fsencode(display_path(directory)) + b"\0")
        pattern_text = None
        try:
            with os.scandir(directory) as entries:
                listing = sorted(entries, key=lambda entry: entry.name)
            for entry in listing:
                kind = ("link" if entry.is_symlink() else "file" if entry.is_file(follow_symlinks=False)
                        else "folder" if entry.is_dir(follow_symlinks=False) else "other")
                digest.update(kind.encode() + b"\0" + os.fsencode(entry.name) + b"\0")
                if kind != "file" or entry.name not in BUNDLE_FILES:
                    continue
                size = entry.stat(follow_symlinks=False).st_size
                if size > MAX_FILE_BYTES:  # refused by its size alone
                    digest.update(f"{size} bytes\0".encode())
                    continue
                data = Path(entry.path).read_bytes()
                digest.update(f"{len(data)}\0".encode() + data)
                if entry.name == PATTERN_FILE:
                    pattern_text = data.decode("utf-8", errors="replace")
        except OSError:
            return None
        return digest.hexdigest(), pattern_text

    def get(self, directory: Path, key: str, pattern_text: str | None) -> BundleResult | None:
        entry = self._stored.get(key)
        if entry is None:
            return None
        try:
            result = _result_from(entry, directory, pattern_text)
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        self._fresh[key] = entry
        return result

    def put(self, key: str, result: BundleResult) -> None:
        self._fresh[key] = _entry_of(result)

    def save(self, *, complete: bool) -> None:
        """Write the entries this run used (a run over the whole catalogue drops the rest;
        a run over some bundles keeps them). A cache that cannot be written is skipped."""
        entries = self._fresh if complete else {**self._stored, **self._fresh}
        if entries == self._stored:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.file.with_name(f".{self.file.name}.{os.getpid()}")
            partial.write_text(json.dumps({"format": FORMAT, "entries": entries}, separators=(",", ":")),
                               encoding="utf-8")
            os.replace(partial, self.file)
        except OSError:
            return


def _entry_of(result: BundleResult) -> dict[str, Any]:
    bundle, _, outline, diagnostics = result
    return {
        "pattern": bundle.pattern is not None,
        "outline": None if outline is None else [
            outline.slug, outline.title, outline.status, outline.superseded_by, outline.last_reviewed.isoformat(),
            outline.review_interval_days, [[r.type, r.pattern] for r in outline.relations], outline.kind,
            list(outline.refactor_to), outline.adoption_since.isoformat() if outline.adoption_since else None],
        "diagnostics": [[d.path, d.line, d.column, d.code, d.message, d.field, d.severity.value, d.hint]
                        for d in diagnostics],
    }


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _result_from(entry: dict[str, Any], directory: Path, pattern_text: str | None) -> BundleResult:
    document = None
    if entry["pattern"]:
        if pattern_text is None:
            raise ValueError("the entry has a document the bundle no longer has")
        path = directory / PATTERN_FILE
        # Positions are found from the text if a rule across bundles reports on this file.
        document = YamlDocument(SourceText(path, display_path(path), pattern_text))
    outline = None
    if entry["outline"] is not None:
        (slug, title, status, superseded_by, reviewed, interval, relations, kind, refactor_to,
         since) = entry["outline"]
        outline = PatternOutline(
            _text(slug), _text(title), _text(status), None if superseded_by is None else _text(superseded_by),
            datetime.date.fromisoformat(reviewed), int(interval),
            tuple(RelationOutline(_text(type_), _text(target)) for type_, target in relations), _text(kind),
            tuple(_text(target) for target in refactor_to),
            None if since is None else datetime.date.fromisoformat(since))
    diagnostics = [Diagnostic(_text(path), int(line), int(column), _text(code), _text(message), _text(field),
                              Severity(severity), _text(hint))
                   for path, line, column, code, message, field, severity, hint in entry["diagnostics"]]
    return RawBundle(directory.name, directory, document), None, outline, diagnostics
