"""``patternbook diff``: what a change really does to the catalogue, field by field.

A line diff of YAML tells a reviewer that line 212 moved; this says that the
failure edge that breaks first is now a different one, that the cost range went
from USD 40–120 to USD 60–180 per month, or that a relation now points at a
pattern that no longer exists. Both sides are read from git or, for the head
side, from the working tree. A side read from git is written into a temporary
folder from the commit's own tree (``git ls-tree`` and ``git cat-file``, never
``git archive``, whose ``export-ignore`` rules in a contributor's
``.gitattributes`` could hide a bundle the build still includes), so the
loader's safety rules apply unchanged. A bundle that does not validate on one
side is still compared from its raw YAML, so the diff helps even on a failing
pull request, and its problems are listed.

The Markdown format feeds a pull request's job summary, which reviewers trust:
every contributor string in it goes through :func:`escape_gfm_text`. The text
format goes to CI logs: every line passes through :func:`_text_line`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from patternbook.errors import Diagnostic, UsageError
from patternbook.escaping import escape_gfm_text
from patternbook.git import GitError, run_git
from patternbook.loader import (
    BUNDLE_FILES,
    CATALOGUE_FILE,
    MAX_FILE_BYTES,
    bundle_directories,
    load_bundle,
    load_catalogue_source,
)
from patternbook.schema import DEFAULT_KIND
from patternbook.schema.text import FORBIDDEN_CHARACTERS
from patternbook.validation import validate_bundle, validate_catalogue_file
from patternbook.validation import vocabulary_of as _vocabulary_of

__all__ = [
    "CatalogueDiff",
    "FieldChange",
    "PatternChanges",
    "Side",
    "diff_catalogues",
    "diff_git_refs",
    "read_side",
    "render_diff",
]

#: Two bundles whose text is at least this similar are one pattern renamed, not a removal and an addition.
RENAME_SIMILARITY = 0.6
#: Two failure edges whose "fails" text is at least this similar are one edge reworded.
EDGE_SIMILARITY = 0.6
WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the catalogue at a ref (or in the working tree)."""

    label: str
    commit: str | None
    patterns: dict[str, dict[str, Any]]
    """slug → the pattern as JSON-like data (validated model when it validates, raw YAML otherwise)."""
    invalid: frozenset[str] = frozenset()
    vocabulary: dict[str, Any] = field(default_factory=dict)
    """``catalogue.yaml`` as data: categories, tags, symptoms, series, repository hosts."""
    problems: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """What the loader and validator refuse, as ``path:line:col: CODE message`` from the catalogue
    folder, by bundle folder (or by the root entry or ``catalogue.yaml`` they concern)."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    kind: str
    """What happened: ``changed``, ``added``, ``removed``, ``reordered``, ``breaks_first``, ``moved``, ``broken``."""
    message: str
    old: Any = None
    new: Any = None


@dataclass
class PatternChanges:
    slug: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    renamed_from: str | None = None
    kind: str = DEFAULT_KIND
    """The bundle's kind in the head (``pattern``, ``anti-pattern``)."""


@dataclass
class CatalogueDiff:
    base: Side
    head: Side
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[PatternChanges] = field(default_factory=list)
    """Renamed patterns come first, with ``renamed_from`` set, then edited ones, by slug."""
    unchanged: int = 0
    vocabulary: list[FieldChange] = field(default_factory=list)
    """What changed in ``catalogue.yaml``: ids added or removed, series reordered."""

    @property
    def renamed(self) -> list[PatternChanges]:
        return [c for c in self.changed if c.renamed_from]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.vocabulary)


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
    data = json.loads(json.dumps(raw, default=str))
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
    return Side(label, commit, patterns, frozenset(invalid), json.loads(json.dumps(raw, default=str)),
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


# --- comparing ----------------------------------------------------------------------


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, dict):
        return [w for item in value.values() for w in _words(item)]
    if isinstance(value, list):
        return [w for item in value for w in _words(item)]
    return [] if value is None else [str(value)]


def _size(old: Any, new: Any) -> str:
    """How much changed, in words added and removed."""
    matcher = difflib.SequenceMatcher(None, _words(old), _words(new), autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return f"+{added}/−{removed} words"


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _sections(markdown: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    current = None
    for line in str(markdown or "").splitlines():
        heading = re.match(r"^##\s+(.+?)\s*#*\s*$", line)
        if heading:
            current = heading.group(1)
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return {title: body.strip() for title, body in sections.items()}


def _money(value: Any) -> str:
    if isinstance(value, int | float):
        return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.2f}"
    return str(value)


def _cost_text(estimate: Any) -> str:
    if not isinstance(estimate, dict):
        return "none"
    return (f"{estimate.get('currency')} {_money(estimate.get('low'))}–{_money(estimate.get('high'))} "
            f"per {estimate.get('period')}")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _edge_changes(old_edges: list[Any], new_edges: list[Any]) -> list[FieldChange]:
    old = [_dict(e) for e in old_edges]
    new = [_dict(e) for e in new_edges]
    old_names = [str(e.get("fails", "")) for e in old]
    new_names = [str(e.get("fails", "")) for e in new]
    # Identify each new edge with an old one: same text first, then reworded text.
    matched: dict[int, int] = {}
    for j, name in enumerate(new_names):
        if name in old_names and old_names.index(name) not in matched.values():
            matched[j] = old_names.index(name)
    for j, name in enumerate(new_names):
        if j in matched:
            continue
        candidates = [(_similarity(name, old_names[i]), i) for i in range(len(old)) if i not in matched.values()]
        best = max(candidates, default=(0.0, -1))
        if best[0] >= EDGE_SIMILARITY:
            matched[j] = best[1]
    changes: list[FieldChange] = []
    if old and new and matched.get(0) != 0:
        changes.append(FieldChange("failure_edges", "breaks_first",
                                   f"breaks first changed: “{old_names[0]}” → “{new_names[0]}”",
                                   old_names[0], new_names[0]))
    for j, name in enumerate(new_names):
        if j not in matched:
            changes.append(FieldChange("failure_edges", "added", f"failure edge added at position {j + 1}: “{name}”",
                                       None, name))
    for i, name in enumerate(old_names):
        if i not in matched.values():
            changes.append(FieldChange("failure_edges", "removed", f"failure edge removed: “{name}”", name, None))
    order_old = [i for j, i in sorted(matched.items())]
    if order_old != sorted(order_old):
        changes.append(FieldChange("failure_edges", "reordered",
                                   "failure edges reordered: " + ", ".join(
                                       f"#{i + 1} → #{j + 1}" for j, i in sorted(matched.items()) if i != j),
                                   [old_names[i] for i in sorted(matched.values())],
                                   [new_names[j] for j in sorted(matched)]))
    for j, i in sorted(matched.items()):
        if old[i] != new[j]:
            fields = sorted(k for k in set(old[i]) | set(new[j]) if old[i].get(k) != new[j].get(k))
            changes.append(FieldChange("failure_edges", "changed",
                                       f"failure edge “{new_names[j]}” edited ({', '.join(fields)}; "
                                       f"{_size(old[i], new[j])})", old[i], new[j]))
    return changes


def _cost_changes(old: Any, new: Any) -> list[FieldChange]:
    old_estimate, new_estimate = _dict(_dict(old).get("estimate")), _dict(_dict(new).get("estimate"))
    changes: list[FieldChange] = []
    keys = ("low", "high", "currency", "period")
    if any(old_estimate.get(k) != new_estimate.get(k) for k in keys):
        what = "currency" if old_estimate.get("currency") != new_estimate.get("currency") else "range"
        changes.append(FieldChange("cost.estimate", what, f"cost {what} changed: {_cost_text(old_estimate)} → "
                                   f"{_cost_text(new_estimate)}", {k: old_estimate.get(k) for k in keys},
                                   {k: new_estimate.get(k) for k in keys}))
    if old_estimate.get("as_of") != new_estimate.get("as_of"):
        changes.append(FieldChange("cost.estimate.as_of", "changed", f"cost as of {old_estimate.get('as_of')} → "
                                   f"{new_estimate.get('as_of')}", old_estimate.get("as_of"),
                                   new_estimate.get("as_of")))
    if old_estimate.get("assumptions") != new_estimate.get("assumptions"):
        size = _size(old_estimate.get("assumptions"), new_estimate.get("assumptions"))
        changes.append(FieldChange("cost.estimate.assumptions", "changed", f"cost assumptions rewritten ({size})",
                                   old_estimate.get("assumptions"), new_estimate.get("assumptions")))
    old_workload, new_workload = _list(_dict(old).get("workload")), _list(_dict(new).get("workload"))
    if old_workload != new_workload:
        changes.append(FieldChange("cost.workload", "changed", "cost workload changed "
                                   f"({len(old_workload)} → {len(new_workload)} parameter(s))",
                                   old_workload or None, new_workload or None))
    old_drivers = {str(_dict(d).get("component")): d for d in _list(_dict(old).get("drivers"))}
    new_drivers = {str(_dict(d).get("component")): d for d in _list(_dict(new).get("drivers"))}
    for name in sorted(set(new_drivers) - set(old_drivers)):
        changes.append(FieldChange("cost.drivers", "added", f"cost driver added: {name}", None, new_drivers[name]))
    for name in sorted(set(old_drivers) - set(new_drivers)):
        changes.append(FieldChange("cost.drivers", "removed", f"cost driver removed: {name}", old_drivers[name]))
    for name in sorted(set(old_drivers) & set(new_drivers)):
        if old_drivers[name] != new_drivers[name]:
            changes.append(FieldChange("cost.drivers", "changed", f"cost driver {name} edited "
                                       f"({_size(old_drivers[name], new_drivers[name])})",
                                       old_drivers[name], new_drivers[name]))
    return changes


def _relation_key(relation: Any) -> tuple[str, str]:
    relation = _dict(relation)
    return str(relation.get("type")), str(relation.get("pattern"))


def _relation_changes(old: Any, new: Any, head_slugs: set[str], base_slugs: set[str]) -> list[FieldChange]:
    """Relations added and removed, and those this change broke: new ones to a missing
    pattern, or old ones whose target this change removed (not those broken already)."""
    old_keys = {_relation_key(r) for r in _list(old)}
    new_keys = {_relation_key(r) for r in _list(new)}
    changes = [FieldChange("relations", "added", f"relation added: {kind} {target}", None,
                           {"type": kind, "pattern": target}) for kind, target in sorted(new_keys - old_keys)]
    changes += [FieldChange("relations", "removed", f"relation removed: {kind} {target}",
                            {"type": kind, "pattern": target}) for kind, target in sorted(old_keys - new_keys)]
    changes += [FieldChange("relations", "broken", f"relation broken: {kind} {target}, which is not in the catalogue",
                            None, {"type": kind, "pattern": target})
                for kind, target in sorted(new_keys)
                if target not in head_slugs and ((kind, target) not in old_keys or target in base_slugs)]
    return changes


def _short_ref(ref: Any) -> str:
    """A commit SHA as git shows it short; tags and branches as written."""
    if not ref:
        return "(none)"
    return str(ref)[:10] if re.fullmatch(r"[0-9a-f]{40}", str(ref)) else str(ref)


def _repository_changes(old: Any, new: Any) -> list[FieldChange]:
    def key(repository: Any) -> tuple[str, str]:
        repository = _dict(repository)
        return str(repository.get("url")), str(repository.get("path") or "")

    before = {key(r): _dict(r) for r in _list(old)}
    after = {key(r): _dict(r) for r in _list(new)}
    by_url_before = {url: r for (url, _), r in before.items()}
    changes: list[FieldChange] = []
    for url_path in sorted(set(after) - set(before)):
        url = url_path[0]
        if url in by_url_before and sum(1 for u, _ in after if u == url) == 1:
            previous = by_url_before[url]
            changes.append(FieldChange("repositories", "moved", f"repository {url} path "
                                       f"{previous.get('path') or '/'} → {after[url_path].get('path') or '/'}",
                                       previous.get("path"), after[url_path].get("path")))
            continue
        changes.append(FieldChange("repositories", "added", f"repository added: {url}", None, after[url_path]))
    for url_path in sorted(set(before) - set(after)):
        url = url_path[0]
        if not any(u == url for u, _ in after) or sum(1 for u, _ in before if u == url) > 1:
            changes.append(FieldChange("repositories", "removed", f"repository removed: {url}", before[url_path]))
    for url_path in sorted(set(before) & set(after)):
        old_repository, new_repository = before[url_path], after[url_path]
        if old_repository.get("ref") != new_repository.get("ref"):
            was, now = _short_ref(old_repository.get("ref")), _short_ref(new_repository.get("ref"))
            changes.append(FieldChange("repositories", "moved", f"repository {url_path[0]} ref moved: {was} → {now}",
                                       old_repository.get("ref"), new_repository.get("ref")))
        rest = sorted(k for k in set(old_repository) | set(new_repository)
                      if k not in ("ref", "url", "path") and old_repository.get(k) != new_repository.get(k))
        if rest:
            changes.append(FieldChange("repositories", "changed", f"repository {url_path[0]}: {', '.join(rest)} "
                                       f"changed", {k: old_repository.get(k) for k in rest},
                                       {k: new_repository.get(k) for k in rest}))
    return changes


def _solution_changes(old: Any, new: Any) -> list[FieldChange]:
    before, after = _sections(old), _sections(new)
    changes: list[FieldChange] = []
    for title in after:
        if title not in before:
            changes.append(FieldChange(f"solution.{title}", "added", f"prose section “{title}” added "
                                       f"({len(after[title].split())} words)", None, len(after[title].split())))
        elif before[title] != after[title]:
            changes.append(FieldChange(f"solution.{title}", "changed", f"prose section “{title}” changed "
                                       f"({_size(before[title], after[title])})",
                                       len(before[title].split()), len(after[title].split())))
    for title in before:
        if title not in after:
            changes.append(FieldChange(f"solution.{title}", "removed", f"prose section “{title}” removed "
                                       f"({len(before[title].split())} words)", len(before[title].split())))
    if not changes and str(old or "").strip() != str(new or "").strip():
        changes.append(FieldChange("solution", "changed", f"solution prose changed ({_size(old, new)})"))
    return changes


#: Fields with their own comparison above; everything else gets a generic one.
_SPECIAL = {"slug", "title", "summary", "status", "superseded_by", "last_reviewed", "failure_edges", "cost",
            "relations", "repositories", "solution"}


def _generic_change(name: str, old: Any, new: Any) -> FieldChange:
    if isinstance(old, list) and isinstance(new, list):
        added = sum(1 for item in new if item not in old)
        removed = sum(1 for item in old if item not in new)
        detail = f"+{added}/−{removed} items" if added or removed else "reordered"
        return FieldChange(name, "changed", f"{name} changed ({detail}; {_size(old, new)})", old, new)
    if isinstance(old, str | int | float) and isinstance(new, str | int | float) and len(str(old)) + len(str(new)) < 80:
        return FieldChange(name, "changed", f"{name}: {old} → {new}", old, new)
    if old is None:
        return FieldChange(name, "added", f"{name} added ({_size(None, new)})", None, new)
    if new is None:
        return FieldChange(name, "removed", f"{name} removed", old, None)
    return FieldChange(name, "changed", f"{name} changed ({_size(old, new)})", old, new)


def compare_pattern(old: dict[str, Any], new: dict[str, Any], head_slugs: set[str],
                    base_slugs: set[str]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for name in ("title", "summary"):
        if old.get(name) != new.get(name):
            changes.append(FieldChange(name, "changed", f"{name}: “{old.get(name)}” → “{new.get(name)}”",
                                       old.get(name), new.get(name)))
    if old.get("status") != new.get("status"):
        changes.append(FieldChange("status", "changed", f"status {old.get('status')} → {new.get('status')}",
                                   old.get("status"), new.get("status")))
    if old.get("superseded_by") != new.get("superseded_by"):
        changes.append(FieldChange("superseded_by", "changed", f"superseded by {old.get('superseded_by') or '(none)'}"
                                   f" → {new.get('superseded_by') or '(none)'}", old.get("superseded_by"),
                                   new.get("superseded_by")))
    if old.get("last_reviewed") != new.get("last_reviewed"):
        changes.append(FieldChange("last_reviewed", "changed", f"re-reviewed: {old.get('last_reviewed')} → "
                                   f"{new.get('last_reviewed')}", old.get("last_reviewed"), new.get("last_reviewed")))
    changes += _edge_changes(_list(old.get("failure_edges")), _list(new.get("failure_edges")))
    changes += _cost_changes(old.get("cost"), new.get("cost"))
    changes += _relation_changes(old.get("relations"), new.get("relations"), head_slugs, base_slugs)
    changes += _repository_changes(old.get("repositories"), new.get("repositories"))
    changes += _solution_changes(old.get("solution"), new.get("solution"))
    for name in sorted((set(old) | set(new)) - _SPECIAL):
        if old.get(name) != new.get(name):
            changes.append(_generic_change(name, old.get(name), new.get(name)))
    return changes


def _kind(data: dict[str, Any]) -> str:
    """A bundle's kind as it says it (raw YAML of an invalid bundle may say anything, or leave it out)."""
    return str(data.get("kind") or DEFAULT_KIND)


def _card(data: dict[str, Any]) -> dict[str, Any]:
    return {"slug": data.get("slug"), "kind": _kind(data), "title": data.get("title"), "status": data.get("status"),
            "summary": data.get("summary")}


def _named_kind(kind: Any) -> str:
    """``, anti-pattern`` to name a kind other than the default in a report line; nothing for a pattern."""
    return "" if kind == DEFAULT_KIND else f", {kind}"


def _fingerprint(data: dict[str, Any]) -> str:
    return " ".join(str(data.get(k) or "") for k in ("title", "summary", "solution"))


def diff_catalogues(base: Side, head: Side) -> CatalogueDiff:
    result = CatalogueDiff(base, head)
    head_slugs, base_slugs = set(head.patterns), set(base.patterns)
    removed = sorted(set(base.patterns) - set(head.patterns))
    added = sorted(set(head.patterns) - set(base.patterns))
    # Best pairs first, so a near-copy added beside a renamed bundle does not take its place;
    # the same title is the strongest sign of a rename.
    pairs = []
    for new_slug in added:
        for old_slug in removed:
            old, new = base.patterns[old_slug], head.patterns[new_slug]
            score = 2.0 if old.get("title") == new.get("title") else _similarity(_fingerprint(old), _fingerprint(new))
            if score >= RENAME_SIMILARITY:
                pairs.append((score, new_slug, old_slug))
    renames: dict[str, str] = {}
    for _, new_slug, old_slug in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if new_slug not in renames and old_slug not in renames.values():
            renames[new_slug] = old_slug
    for new_slug, old_slug in sorted(renames.items()):
        new = head.patterns[new_slug]
        entry = PatternChanges(new_slug, str(new.get("title")), renamed_from=old_slug, kind=_kind(new))
        entry.changes = compare_pattern(base.patterns[old_slug], new, head_slugs, base_slugs)
        result.changed.append(entry)
    result.added = [_card(head.patterns[s]) for s in added if s not in renames]
    result.removed = [_card(base.patterns[s]) for s in removed if s not in renames.values()]
    for slug in sorted(set(base.patterns) & set(head.patterns)):
        changes = compare_pattern(base.patterns[slug], head.patterns[slug], head_slugs, base_slugs)
        if changes:
            result.changed.append(PatternChanges(slug, str(head.patterns[slug].get("title")), changes,
                                                 kind=_kind(head.patterns[slug])))
        else:
            result.unchanged += 1
    # A removal can break relations in patterns that did not change themselves.
    edited = {c.slug for c in result.changed}
    for slug in sorted(head_slugs - edited - set(added)):
        broken = [FieldChange("relations", "broken", f"relation broken: {kind} {target}, which is not in the "
                              "catalogue", None, {"type": kind, "pattern": target})
                  for kind, target in sorted({_relation_key(r) for r in _list(head.patterns[slug].get("relations"))})
                  if target not in head_slugs and target in base_slugs]
        if broken:
            result.changed.append(PatternChanges(slug, str(head.patterns[slug].get("title")), broken,
                                                 kind=_kind(head.patterns[slug])))
            result.unchanged -= 1
    result.changed.sort(key=lambda c: (c.renamed_from is None, c.slug))
    result.vocabulary = _vocabulary_changes(base.vocabulary, head.vocabulary)
    return result


def _vocabulary_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Closed vocabularies in ``catalogue.yaml``: what a pattern may now name, or no longer may."""
    changes: list[FieldChange] = []
    for name in ("categories", "tags", "symptoms", "series", "repository_hosts"):
        def ids(document: dict[str, Any], name: str = name) -> dict[str, Any]:
            return {str(_dict(item).get("id")) if isinstance(item, dict) else str(item): item
                    for item in _list(document.get(name))}

        before, after = ids(old), ids(new)
        changes += [FieldChange(name, "added", f"{name}: {key} added", None, after[key])
                    for key in sorted(set(after) - set(before))]
        changes += [FieldChange(name, "removed", f"{name}: {key} removed", before[key])
                    for key in sorted(set(before) - set(after))]
        for key in sorted(set(before) & set(after)):
            if before[key] == after[key]:
                continue
            if name == "series" and _dict(before[key]).get("patterns") != _dict(after[key]).get("patterns"):
                changes.append(FieldChange(name, "changed", f"series {key}: patterns "
                                           f"{', '.join(map(str, _list(_dict(before[key]).get('patterns'))))} → "
                                           f"{', '.join(map(str, _list(_dict(after[key]).get('patterns'))))}",
                                           _dict(before[key]).get("patterns"), _dict(after[key]).get("patterns")))
            else:
                size = _size(before[key], after[key])
                changes.append(FieldChange(name, "changed", f"{name}: {key} reworded ({size})",
                                           before[key], after[key]))
    return changes


# --- reporting ----------------------------------------------------------------------

Format = Literal["text", "markdown", "json"]


def _side_label(side: Side) -> str:
    return f"{side.label} ({side.commit[:10]})" if side.commit and side.commit[:10] not in side.label else side.label


def _counts(diff: CatalogueDiff) -> str:
    return (f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.renamed)} renamed, "
            f"{len(diff.changed) - len(diff.renamed)} changed, {diff.unchanged} unchanged")


#: Problems listed per bundle in a report; ``patternbook validate`` lists them all.
PROBLEMS_SHOWN = 3


def _problems_in_head(diff: CatalogueDiff) -> list[tuple[str, list[str]]]:
    """(bundle folder or catalogue entry, its first problems) for everything the head's build refuses."""
    head = diff.head
    rows = []
    for owner in sorted(set(head.invalid) | set(head.problems)):
        problems = list(head.problems.get(owner, ()))
        shown = problems[:PROBLEMS_SHOWN] or ["does not validate"]
        if len(problems) > PROBLEMS_SHOWN:
            shown.append(f"and {len(problems) - PROBLEMS_SHOWN} more")
        rows.append((owner, shown))
    return rows


#: Characters that end a line for a terminal or a CI log reader.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def _text_line(line: str) -> str:
    """One line of the text format as a terminal or a CI runner will read it.

    Contributor text inside it cannot start another line (line breaks become
    spaces), cannot drive the terminal (ESC and every other control or
    invisible character becomes U+FFFD), and cannot be a workflow command: the
    GitHub Actions runner obeys ``::command::`` at the start of a line (after
    any leading white space) and ``##[command]`` anywhere in one, so those
    get a space that breaks them.
    """
    line = FORBIDDEN_CHARACTERS.sub("\ufffd", _LONE_SURROGATES.sub("\ufffd", _LINE_BREAKS.sub(" ", line)))
    indent = line[:len(line) - len(line.lstrip())]
    if line.lstrip().startswith("::"):
        line = indent + ": " + line.lstrip()[1:]
    return line.replace("##[", "## [")


def _render_text(diff: CatalogueDiff) -> str:
    lines = [f"catalogue changes from {_side_label(diff.base)} to {_side_label(diff.head)}: {_counts(diff)}"]
    for card in diff.added:
        lines.append(f"+ {card['slug']}: added ({card['title']}{_named_kind(card['kind'])}, {card['status']})")
    for card in diff.removed:
        lines.append(f"- {card['slug']}: removed ({card['title']}{_named_kind(card['kind'])})")
    for entry in diff.changed:
        head = f"~ {entry.slug}: renamed from {entry.renamed_from}" if entry.renamed_from else f"~ {entry.slug}"
        head += f" ({entry.kind})" if entry.kind != DEFAULT_KIND else ""
        lines.append(head)
        lines += [f"    {change.message}" for change in entry.changes]
    lines += [f"* catalogue.yaml: {change.message}" for change in diff.vocabulary]
    for owner, problems in _problems_in_head(diff):
        lines.append(f"! {owner}: does not validate in {_side_label(diff.head)}")
        lines += [f"    {problem}" for problem in problems]
    return "\n".join(_text_line(line) for line in lines) + "\n"


def _render_markdown(diff: CatalogueDiff) -> str:
    """The job summary. Contributor text (titles, summaries, folder names, refs, field names and
    values inside messages) goes through :func:`escape_gfm_text` and nowhere else: never into a
    code span, where escapes do not work, and never at the start of a line."""
    gfm = escape_gfm_text
    lines = [f"## Catalogue changes: {gfm(_side_label(diff.base))} → {gfm(_side_label(diff.head))}", "",
             f"{_counts(diff)}.", ""]
    if diff.empty:
        lines += ["No pattern changed.", ""]
    if diff.added:
        lines += ["### Added", ""] + [f"- **{gfm(c['title'])}** ({gfm(c['slug'])}{gfm(_named_kind(c['kind']))}, "
                                      f"{gfm(c['status'])}) — {gfm(c['summary'])}" for c in diff.added] + [""]
    if diff.removed:
        lines += ["### Removed", ""] + [f"- **{gfm(c['title'])}** ({gfm(c['slug'])}{gfm(_named_kind(c['kind']))})"
                                        for c in diff.removed] + [""]
    if diff.changed:
        lines += ["### Changed", ""]
        for entry in diff.changed:
            renamed = f" — renamed from {gfm(entry.renamed_from)}" if entry.renamed_from else ""
            lines.append(f"#### {gfm(entry.title)} ({gfm(entry.slug)}{gfm(_named_kind(entry.kind))}){renamed}")
            lines.append("")
            lines += [f"- {gfm(change.message)}" for change in entry.changes] or ["- no field changed"]
            lines.append("")
    if diff.vocabulary:
        lines += ["### Catalogue vocabulary (`catalogue.yaml`)", ""]
        lines += [f"- {gfm(change.message)}" for change in diff.vocabulary] + [""]
    problems = _problems_in_head(diff)
    if problems:
        lines += ["### Not valid in the head (run `patternbook validate`)", ""]
        for owner, found in problems:
            lines.append(f"- **{gfm(owner)}**")
            lines += [f"  - {gfm(problem)}" for problem in found]
        lines.append("")
    return "\n".join(lines)


def diff_document(diff: CatalogueDiff) -> dict[str, Any]:
    def side(s: Side) -> dict[str, Any]:
        return {"ref": s.label, "commit": s.commit, "patterns": len(s.patterns), "invalid": sorted(s.invalid),
                "problems": {owner: list(found) for owner, found in s.problems.items()}}

    return {
        "base": side(diff.base),
        "head": side(diff.head),
        "summary": {"added": len(diff.added), "removed": len(diff.removed), "renamed": len(diff.renamed),
                    "changed": len(diff.changed) - len(diff.renamed), "unchanged": diff.unchanged},
        "added": diff.added,
        "removed": diff.removed,
        "changed": [{"slug": c.slug, "kind": c.kind, "title": c.title, "renamed_from": c.renamed_from,
                     "changes": [{"field": f.field, "kind": f.kind, "message": f.message, "old": f.old, "new": f.new}
                                 for f in c.changes]} for c in diff.changed],
        "vocabulary": [{"field": f.field, "kind": f.kind, "message": f.message, "old": f.old, "new": f.new}
                       for f in diff.vocabulary],
    }


def render_diff(diff: CatalogueDiff, output_format: Format | str = "text") -> str:
    if output_format == "json":
        return json.dumps(diff_document(diff), indent=2, ensure_ascii=False) + "\n"
    if output_format == "markdown":
        return _render_markdown(diff)
    return _render_text(diff)
