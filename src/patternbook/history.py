"""What git knows about each bundle: when it last changed, and the commits that touched it.

Pages show "last changed" and a short change history, and the feed lists new,
changed, re-reviewed and deprecated patterns. Everything comes from commits
reachable from ``HEAD`` (never the clock, never uncommitted edits), so a given
commit always builds the same pages. Two readings of git keep this cheap at any
catalogue size: one ``git log --raw`` over the catalogue folder, and one
``git cat-file --batch`` of the ``pattern.yaml`` versions before and after the
newest edits, to tell a re-review or a deprecation from other edits.

Commit subjects are contributor text (a merged pull request brings its
author's), so nothing in one may shape how the output is read: the log is read
with ``-z``, where every field ends in a NUL that no subject or path can hold,
and file contents come length-prefixed; subjects are cleaned of control and
invisible characters before any page or feed sees them.

Outside a git repository, without git, or in a shallow clone (whose oldest
commit looks as if it added every file) the history says what it cannot know
instead of guessing.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from patternbook.git import GitError, clean_git_text, run_git

__all__ = [
    "HISTORY_DEPTH",
    "BundleHistory",
    "CatalogueHistory",
    "Change",
    "ChangeEvent",
    "ChangeKind",
    "RingChange",
    "read_catalogue_history",
    "ring_in",
]

#: Commits shown per pattern page.
HISTORY_DEPTH = 5
#: Newest commits of pattern.yaml files read line by line to classify feed entries.
CLASSIFIED_COMMITS = 200
GIT_TIMEOUT_SECONDS = 60
#: A bundle's file whose edits say a pattern was re-reviewed or deprecated (the loader's name for it).
PATTERN_FILE = "pattern.yaml"

ChangeKind = Literal["new", "changed", "re-reviewed", "deprecated"]

#: Hash, committer date, subject: each ends in a NUL under ``-z``, and the subject comes last, so nothing
#: it holds can move the other two. Git cuts a message at its first NUL, so no subject holds one.
_FORMAT = "--format=%H%x00%cI%x00%s"
#: A full commit id, SHA-1 or SHA-256.
_COMMIT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
#: ``--raw`` for one file: ``:old-mode new-mode old-blob new-blob status``.
_RAW_FILE = re.compile(r"\n?:[0-7]{6} [0-7]{6} ([0-9a-f]{40}(?:[0-9a-f]{24})?) ([0-9a-f]{40}(?:[0-9a-f]{24})?) "
                       r"([A-Z])[0-9]*")
_DEPRECATED_LINE = re.compile(r"status:\s*['\"]?deprecated")
_REVIEWED_LINE = re.compile(r"last_reviewed:")
#: ``adoption:`` at the top level, then its indented lines (block style) or its braces (flow style).
_ADOPTION_BLOCK = re.compile(r"^adoption:[ \t]*(\{[^}\n]*\}|(?:#.*)?\n(?:(?:[ \t]+.*|[ \t]*)(?:\n|$))*)", re.M)
_RING_VALUE = re.compile(r"(?:^|[{,\s])ring:[ \t]*['\"]?([a-z0-9]+(?:-[a-z0-9]+)*)")


@dataclass(frozen=True)
class Change:
    """One commit that touched a bundle."""

    commit: str
    when: datetime.datetime
    """Committer date, with the committer's offset."""
    subject: str

    @property
    def short(self) -> str:
        return self.commit[:10]


@dataclass(frozen=True)
class BundleHistory:
    changes: tuple[Change, ...] = ()
    """Newest first, at most :data:`HISTORY_DEPTH`."""

    @property
    def last_changed(self) -> Change | None:
        return self.changes[0] if self.changes else None


@dataclass(frozen=True)
class ChangeEvent:
    """A feed entry: what one commit did to one pattern."""

    slug: str
    kind: ChangeKind
    change: Change


@dataclass(frozen=True)
class RingChange:
    """A commit that gave a bundle another adoption ring (or its first, or none)."""

    slug: str
    before: str | None
    """The ring before the commit; None when the bundle had none (or did not exist)."""
    after: str | None
    change: Change


def ring_in(text: str) -> str | None:
    """The adoption ring a ``pattern.yaml`` version names, read without a YAML parser: an old
    version is read only for this one value, and a version that never validated may hold anything."""
    block = _ADOPTION_BLOCK.search(text)
    if block is None:
        return None
    ring = _RING_VALUE.search(block.group(1))
    return ring.group(1) if ring else None


@dataclass(frozen=True)
class CatalogueHistory:
    available: bool
    """Whether git history was read at all."""
    note: str | None = None
    """Why history is missing or partial, in words a reader understands."""
    bundles: Mapping[str, BundleHistory] = field(default_factory=lambda: MappingProxyType({}))
    events: tuple[ChangeEvent, ...] = ()
    """Newest first: every commit × pattern, classified."""
    rings: Mapping[str, tuple[RingChange, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Per bundle, oldest first: each commit (of the newest :data:`CLASSIFIED_COMMITS`) that changed its ring."""

    def ring_moves(self) -> list[RingChange]:
        """Every move from one ring to another, newest first."""
        moves = [move for changes in self.rings.values() for move in changes if move.before and move.after]
        return sorted(moves, key=lambda m: (m.change.when.astimezone(datetime.UTC), m.change.commit, m.slug),
                      reverse=True)

    def of(self, slug: str) -> BundleHistory:
        return self.bundles.get(slug, BundleHistory())

    @classmethod
    def unavailable(cls, note: str) -> CatalogueHistory:
        return cls(available=False, note=note)


def _git(arguments: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    """``git`` output, or None when git is missing or refuses (not a repository)."""
    try:
        return run_git(arguments, cwd, stdin=stdin, timeout=GIT_TIMEOUT_SECONDS)
    except GitError:
        return None


def _git_text(arguments: list[str], cwd: Path) -> str | None:
    output = _git(arguments, cwd)
    return None if output is None else output.decode("utf-8", errors="replace")


class _UnreadableLog(ValueError):
    """``git log`` printed something other than the records asked for."""


@dataclass(frozen=True)
class _FileChange:
    """One file a commit touched, as ``--raw`` reports it."""

    status: str
    """``A``dded, ``M``odified, ``D``eleted, ``T``ype changed."""
    path: str
    """From the top of the repository."""
    before: str
    """Blob id of the old version (all zeros when added)."""
    after: str
    """Blob id of the new version (all zeros when deleted)."""


def _log_records(output: str) -> list[tuple[Change, list[_FileChange]]]:
    """Read ``git log -z --raw --no-abbrev`` written with :data:`_FORMAT`.

    Every field ends in a NUL, so each has a known position: a commit's hash,
    date and subject, then a raw line and a path per file (the first raw line
    led by the newline git puts after the format), then the next commit. A
    subject or path is one field whatever it holds; a hash or date out of
    shape means the output is not what was asked for, and nothing is guessed.
    """
    fields = output.split("\0")
    if fields[-1] != "":
        raise _UnreadableLog("the log does not end with a NUL")
    records: list[tuple[Change, list[_FileChange]]] = []
    index, last = 0, len(fields) - 1
    while index < last:
        if index + 3 > last:
            raise _UnreadableLog("a commit record is cut short")
        commit, when, subject = fields[index:index + 3]
        index += 3
        if not _COMMIT_ID.fullmatch(commit):
            raise _UnreadableLog(f"{commit[:50]!r} is not a commit id")
        try:
            moment = datetime.datetime.fromisoformat(when)
        except ValueError:
            raise _UnreadableLog(f"{when[:50]!r} is not a date") from None
        files: list[_FileChange] = []
        while index < last and fields[index].startswith((":", "\n:")):
            raw = _RAW_FILE.fullmatch(fields[index])
            if raw is None or index + 1 >= last:
                raise _UnreadableLog(f"{fields[index][:80]!r} is not a raw file line")
            before, after, status = raw.groups()
            files.append(_FileChange(status, fields[index + 1], before, after))
            index += 2
        records.append((Change(commit, moment, clean_git_text(subject)), files))
    return records


def _shallow_boundaries(top: Path) -> frozenset[str]:
    """Commits at the edge of a shallow clone: git shows them as adding every file."""
    if (_git_text(["rev-parse", "--is-shallow-repository"], top) or "").strip() != "true":
        return frozenset()
    location = (_git_text(["rev-parse", "--git-path", "shallow"], top) or "").strip()
    path = (top / location) if location else None
    if path is None or not path.is_file():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="ascii", errors="replace").splitlines()
                     if line.strip())


def _blob_texts(top: Path, blob_ids: list[str]) -> dict[str, str]:
    """Blob id → its text, from one ``git cat-file --batch``: each object comes after a header giving its
    size, so no content is read as the start of another. Objects a partial or shallow clone lacks are left out."""
    if not blob_ids:
        return {}
    output = _git(["cat-file", "--batch"], top, stdin="".join(f"{blob}\n" for blob in blob_ids).encode("ascii"))
    texts: dict[str, str] = {}
    position = 0
    while output is not None and position < len(output):
        end = output.find(b"\n", position)
        if end < 0:
            break
        header = output[position:end].decode("ascii", errors="replace").split(" ")
        position = end + 1
        if len(header) != 3 or not header[2].isdigit():  # "<id> missing", or not what was asked for
            continue
        size = int(header[2])
        texts[header[0]] = output[position:position + size].decode("utf-8", errors="replace")
        position += size + 1  # the contents and the newline after them
    return texts


def _added_lines(before: str, after: str) -> list[str]:
    """Lines of ``after`` that ``before`` does not hold (as often as they appear)."""
    remaining = Counter(before.splitlines())
    added = []
    for line in after.splitlines():
        if remaining[line] > 0:
            remaining[line] -= 1
        else:
            added.append(line)
    return added


def _classify(top: Path, edits: list[tuple[str, str, _FileChange]]) -> dict[tuple[str, str], ChangeKind]:
    """(commit, slug) → kind for commits that edited a ``pattern.yaml``, judged from the
    lines they added: a new top-level ``status: deprecated`` or a new ``last_reviewed``."""
    texts = _blob_texts(top, sorted({blob for _, _, edit in edits for blob in (edit.before, edit.after)}))
    kinds: dict[tuple[str, str], ChangeKind] = {}
    for commit, slug, edit in edits:
        if edit.before not in texts or edit.after not in texts:
            continue
        added = _added_lines(texts[edit.before], texts[edit.after])
        if any(_DEPRECATED_LINE.match(line) for line in added):
            kinds[(commit, slug)] = "deprecated"
        elif any(_REVIEWED_LINE.match(line) for line in added):
            kinds[(commit, slug)] = "re-reviewed"
    return kinds


def read_catalogue_history(catalogue_root: Path, depth: int = HISTORY_DEPTH) -> CatalogueHistory:
    """Read the history of every bundle under ``catalogue_root`` from git."""
    root = catalogue_root.resolve()
    top_text = _git_text(["rev-parse", "--show-toplevel"], root)
    if top_text is None:
        return CatalogueHistory.unavailable("built outside a git repository, so no change history is shown")
    top = Path(top_text.strip()).resolve()
    try:
        relative = root.relative_to(top).as_posix()
    except ValueError:
        return CatalogueHistory.unavailable("built outside a git repository, so no change history is shown")
    relative = relative if relative != "." else ""
    if _git(["rev-parse", "--verify", "-q", "HEAD"], top) is None:
        return CatalogueHistory.unavailable("the repository has no commits yet, so no change history is shown")
    boundaries = _shallow_boundaries(top)
    prefix = f"{relative}/" if relative else ""
    output = _git_text(["log", "-z", "--raw", "--no-abbrev", "--no-renames", "--no-color", _FORMAT, "--",
                        relative or "."], top)
    try:
        records = _log_records(output) if output is not None else None
    except _UnreadableLog:
        records = None
    if records is None:
        return CatalogueHistory.unavailable("git could not read the history, so no change history is shown")

    per_bundle: dict[str, list[Change]] = {}
    touched_by: list[tuple[Change, dict[str, bool]]] = []
    edits: list[tuple[str, str, _FileChange]] = []  # (commit, slug, pattern.yaml edit), newest first
    versions: list[tuple[Change, str, str]] = []  # (commit, slug, pattern.yaml blob written), newest first
    classified_commits = 0
    for change, files in records:
        if change.commit in boundaries:
            continue
        touched: dict[str, bool] = {}  # slug → whether this commit added its pattern.yaml
        edited_pattern_file = False
        for file in files:
            if not file.path.startswith(prefix):
                continue
            parts = file.path[len(prefix):].split("/")
            if len(parts) != 2:
                continue
            slug, name = parts
            touched[slug] = touched.get(slug, False) or (file.status == "A" and name == PATTERN_FILE)
            if name != PATTERN_FILE:
                continue
            edited_pattern_file = True
            if file.status == "D":
                touched.pop(slug, None)  # removed here; it has no page to link
            elif classified_commits < CLASSIFIED_COMMITS:
                versions.append((change, slug, file.after))
                if file.status in ("M", "T"):
                    edits.append((change.commit, slug, file))
        classified_commits += edited_pattern_file
        touched_by.append((change, touched))
    kinds = _classify(top, edits)

    events: list[ChangeEvent] = []
    for change, touched in touched_by:
        for slug, added in sorted(touched.items()):
            history = per_bundle.setdefault(slug, [])
            if len(history) < depth:
                history.append(change)
            kind: ChangeKind = "new" if added else kinds.get((change.commit, slug), "changed")
            events.append(ChangeEvent(slug, kind, change))

    events.sort(key=lambda e: (e.change.when.astimezone(datetime.UTC), e.change.commit, e.slug), reverse=True)
    note = None
    if boundaries:
        note = "built from a shallow clone: changes older than the clone's oldest commit are not shown"
    bundles = {slug: BundleHistory(tuple(changes)) for slug, changes in sorted(per_bundle.items())}
    return CatalogueHistory(True, note, MappingProxyType(bundles), tuple(events), _ring_timelines(top, versions))


def _ring_timelines(top: Path, versions: list[tuple[Change, str, str]]) -> Mapping[str, tuple[RingChange, ...]]:
    """Per bundle, the commits that changed its ring, oldest first, from the versions of its
    ``pattern.yaml`` (newest first) that the log named."""
    texts = _blob_texts(top, sorted({blob for _, _, blob in versions}))
    timelines: dict[str, list[RingChange]] = {}
    for change, slug, blob in reversed(versions):
        if blob not in texts:
            continue
        ring = ring_in(texts[blob])
        timeline = timelines.setdefault(slug, [])
        before = timeline[-1].after if timeline else None
        if ring != before:
            timeline.append(RingChange(slug, before, ring, change))
    return MappingProxyType({slug: tuple(t) for slug, t in sorted(timelines.items()) if t})
