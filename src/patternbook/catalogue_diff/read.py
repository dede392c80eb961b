"""Reading each side of a comparison: from the working tree, or from a commit's own tree in git."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from patternbook.catalogue_diff.compare import diff_catalogues
from patternbook.catalogue_diff.model import WORKING_TREE, CatalogueDiff, Side
from patternbook.errors import Diagnostic, UsageError
from patternbook.git import GitError, run_git
from patternbook.loader import (
    BUNDLE_FILES,
    CATALOGUE_FILE,
    MAX_FILE_BYTES,
    bundle_directories,
    load_bundle,
    load_catalogue_source,
)
from patternbook.validation import validate_bundle, validate_catalogue_file
from patternbook.validation import vocabulary_of as _vocabulary_of

# --- reading each side --------------------------------------------------------------


def _git(arguments: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        return run_git(arguments, cwd, stdin=stdin)
    except GitError as error:
        raise UsageError("patternbook diff needs git on PATH" if error.missing else str(error)) from None


def _problem(diagnostic: Diagnostic, root: str) -> str:
    """A diagnostic as ``path:line:col: CODE message``, the path from the catalogue folder
    (a side read from git lives in a temporary folder whose name means nothing to a reader)."""
    where = os.path.relpath(os.path.normpath(os.path.join(os.getcwd(), diagnostic.path)), root)
    shown = diagnostic.path if where.startswith("..") else Path(where).as_posix()
    return f"{shown}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} {diagnostic.message}"


def _owner(diagnostic: Diagnostic, root: str) -> str:
    """The bundle folder (or root entry) a diagnostic is about."""
    where = os.path.relpath(os.path.normpath(os.path.join(os.getcwd(), diagnostic.path)), root)
    return CATALOGUE_FILE if where.startswith("..") or where == "." else Path(where).parts[0]


def _as_json(raw: Any) -> Any:
    """Raw YAML data as JSON data. A bundle that does not validate may hold a float JSON
    cannot (``.nan``, ``.inf``): it becomes its text (``NaN``, ``Infinity``), so the diff
    shows it as written and its JSON output stays strict."""
    return json.loads(json.dumps(raw, default=str), parse_constant=str)


def _bundle_data(directory: Path, vocabulary: Any) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The bundle as data (the model when it validates, its raw YAML otherwise) and its errors."""
    bundle = load_bundle(directory)
    pattern, diagnostics = validate_bundle(bundle, vocabulary)
    errors = [d for d in diagnostics if d.is_error]
    if pattern is not None:
        return pattern.model_dump(mode="json"), errors
    raw = bundle.pattern.data if bundle.pattern is not None and isinstance(bundle.pattern.data, dict) else None
    if raw is None:
        return None, errors
    data = _as_json(raw)
    data["slug"] = directory.name
    data["solution"] = bundle.solution.text if bundle.solution is not None else ""
    return data, errors


def read_side(catalogue_root: Path, label: str, commit: str | None = None) -> Side:
    """Every bundle of a catalogue folder as data, and what the loader and validator refuse in it."""
    catalogue_file = catalogue_root / CATALOGUE_FILE
    if not (catalogue_file.is_file() or catalogue_file.is_symlink()):  # a symlink is the loader's to refuse
        raise UsageError(f"{label}: no {CATALOGUE_FILE} in the catalogue folder")
    root = os.path.normpath(os.path.abspath(catalogue_root))
    source = load_catalogue_source(catalogue_root)
    definitions, catalogue_diagnostics = validate_catalogue_file(source.document)
    vocabulary = _vocabulary_of(definitions) if definitions is not None else None
    found: list[Diagnostic] = [*source.diagnostics, *catalogue_diagnostics]
    patterns: dict[str, dict[str, Any]] = {}
    invalid: set[str] = set()
    for directory in bundle_directories(catalogue_root, found):
        data, errors = _bundle_data(directory, vocabulary)
        found += errors
        if data is not None:
            patterns[directory.name] = data
        if data is None or errors:
            invalid.add(directory.name)
    problems: dict[str, list[str]] = {}
    for diagnostic in found:
        if diagnostic.is_error:
            problems.setdefault(_owner(diagnostic, root), []).append(_problem(diagnostic, root))
    raw = source.document.data if source.document is not None and isinstance(source.document.data, dict) else {}
    return Side(label, commit, patterns, frozenset(invalid), _as_json(raw),
                {owner: tuple(lines) for owner, lines in sorted(problems.items())})


def _resolve_commit(top: Path, ref: str) -> str:
    if not ref or ref.startswith("-") or any(ch.isspace() for ch in ref):
        raise UsageError(f"'{ref}' is not a git ref")
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top).decode("ascii").strip()
    except UsageError:
        raise UsageError(f"'{ref}' is not a commit in this repository (fetch it first, e.g. "
                         f"git fetch origin {ref})") from None


#: Tree entry modes (``git ls-tree``) that are not a file's contents.
_SYMLINK_MODE, _SUBMODULE_MODE = "120000", "160000"


def _write_tree(top: Path, commit: str, relative: str, target: Path) -> None:
    """Write the catalogue folder as ``commit`` holds it under ``target``, from git's own tree.

    Only the files the loader reads (``catalogue.yaml`` and each bundle's files)
    are fetched, in one length-prefixed ``git cat-file --batch``; every other
    file is written as a sparse file of its size, which is all the loader looks
    at before refusing it. A symlink is written as a symlink to a path that
    does not exist, so the loader refuses it in its own words and nothing can
    follow it out of the temporary folder; a submodule is an empty folder, as a
    checkout without submodules has it.
    """
    listing = _git(["ls-tree", "-r", "-z", "-l", commit, "--", relative or "."], top)
    nowhere = target.parent / f"{commit}.symlink-target"  # beside the folders mkdtemp names, never made
    wanted: dict[str, list[Path]] = {}
    prefix = f"{relative}/" if relative else ""
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        info, _, raw_path = entry.partition(b"\t")
        mode, _, object_id, size = info.decode("ascii", errors="replace").split()
        path = raw_path.decode("utf-8", errors="replace")
        if relative and path == relative:
            raise UsageError(f"{commit[:10]}: {relative} is a symlink or a file there, not a catalogue folder")
        if any(part in ("", ".", "..") or part.lower() == ".git" for part in path.split("/")) \
                or not path.startswith(prefix):
            raise UsageError(f"{commit[:10]} holds a path no checkout writes: {path!r}")
        destination = target / path
        inside = path[len(prefix):].split("/")
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            if mode == _SYMLINK_MODE:
                destination.symlink_to(nowhere)
            elif mode == _SUBMODULE_MODE:
                destination.mkdir(exist_ok=True)
            elif int(size) <= MAX_FILE_BYTES and (inside == [CATALOGUE_FILE] or
                                                  (len(inside) == 2 and inside[1] in BUNDLE_FILES)):
                wanted.setdefault(object_id, []).append(destination)
            else:
                with destination.open("wb") as placeholder:
                    placeholder.truncate(int(size))
        except OSError as error:
            raise UsageError(f"{commit[:10]}: cannot write {path!r} to a temporary folder: {error.strerror}") from None
    if not wanted:
        return
    contents = _git(["cat-file", "--batch"], top, stdin="".join(f"{oid}\n" for oid in wanted).encode("ascii"))
    position = 0
    for object_id, destinations in wanted.items():
        end = contents.find(b"\n", position)
        header = contents[position:end].decode("ascii", errors="replace").split() if end >= 0 else []
        if len(header) != 3 or header[0] != object_id or not header[2].isdigit():
            raise UsageError(f"git cat-file: cannot read {object_id} of {commit[:10]}")
        size = int(header[2])
        data = contents[end + 1:end + 1 + size]
        position = end + 1 + size + 1  # the contents and the newline after them
        for destination in destinations:
            destination.write_bytes(data)


def _read_ref(top: Path, relative: str, ref: str, scratch: Path) -> Side:
    commit = _resolve_commit(top, ref)
    target = Path(tempfile.mkdtemp(dir=scratch))  # its own folder even when both refs name one commit
    _write_tree(top, commit, relative, target)
    catalogue_root = target / relative if relative else target
    if not catalogue_root.is_dir():
        raise UsageError(f"{ref}: no {relative or 'catalogue'} folder in that commit")
    return read_side(catalogue_root, ref, commit)


def diff_git_refs(catalogue_dir: Path, base: str, head: str | None = None) -> CatalogueDiff:
    """The catalogue at ``base`` against ``head`` (a ref, or the working tree when None)."""
    if not catalogue_dir.is_dir():
        raise UsageError(f"{catalogue_dir}: no such catalogue folder")
    root = catalogue_dir.resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], root).decode("utf-8", errors="surrogateescape").strip()).resolve()
    relative = root.relative_to(top).as_posix()
    relative = "" if relative == "." else relative
    with tempfile.TemporaryDirectory(prefix="patternbook-diff-") as scratch:
        before = _read_ref(top, relative, base, Path(scratch))
        after = _read_ref(top, relative, head, Path(scratch)) if head else read_side(root, WORKING_TREE)
        return diff_catalogues(before, after)
