"""What git knows about each bundle: when it last changed, and the commits that touched it.

Pages show "last changed" and a short change history, and the feed lists new,
changed, re-reviewed and deprecated patterns. Everything comes from commits
reachable from ``HEAD`` (never the clock, never uncommitted edits), so a given
commit always builds the same pages. Two readings of git keep this cheap at any
catalogue size: one ``git log --name-status`` over the catalogue folder, and one
``git log -p -U0`` over the newest commits of ``pattern.yaml`` files to tell a
re-review or a deprecation from other edits.

Outside a git repository, without git, or in a shallow clone (whose oldest
commit looks as if it added every file) the history says what it cannot know
instead of guessing.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

__all__ = [
    "HISTORY_DEPTH",
    "BundleHistory",
    "CatalogueHistory",
    "Change",
    "ChangeEvent",
    "ChangeKind",
    "read_catalogue_history",
]

#: Commits shown per pattern page.
HISTORY_DEPTH = 5
#: Newest commits of pattern.yaml files read line by line to classify feed entries.
CLASSIFIED_COMMITS = 200
GIT_TIMEOUT_SECONDS = 60

ChangeKind = Literal["new", "changed", "re-reviewed", "deprecated"]

_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = f"--format={_RECORD}%H{_FIELD}%cI{_FIELD}%s"


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
class CatalogueHistory:
    available: bool
    """Whether git history was read at all."""
    note: str | None = None
    """Why history is missing or partial, in words a reader understands."""
    bundles: Mapping[str, BundleHistory] = field(default_factory=lambda: MappingProxyType({}))
    events: tuple[ChangeEvent, ...] = ()
    """Newest first: every commit × pattern, classified."""

    def of(self, slug: str) -> BundleHistory:
        return self.bundles.get(slug, BundleHistory())

    @classmethod
    def unavailable(cls, note: str) -> CatalogueHistory:
        return cls(available=False, note=note)


def _git(arguments: list[str], cwd: Path) -> str | None:
    """``git`` output, or None when git is missing or refuses (not a repository)."""
    try:
        result = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT_SECONDS,
                                env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", errors="replace")


def _records(output: str) -> list[tuple[Change, list[str]]]:
    """Parse ``_FORMAT`` records, each followed by its lines (name-status or patch)."""
    records = []
    for chunk in output.split(_RECORD)[1:]:
        header, _, rest = chunk.partition("\n")
        commit, when, subject = ([*header.split(_FIELD), "", ""])[:3]
        try:
            moment = datetime.datetime.fromisoformat(when)
        except ValueError:
            continue
        records.append((Change(commit, moment, subject.strip()), rest.splitlines()))
    return records


def _shallow_boundaries(top: Path) -> frozenset[str]:
    """Commits at the edge of a shallow clone: git shows them as adding every file."""
    if (_git(["rev-parse", "--is-shallow-repository"], top) or "").strip() != "true":
        return frozenset()
    location = (_git(["rev-parse", "--git-path", "shallow"], top) or "").strip()
    path = (top / location) if location else None
    if path is None or not path.is_file():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="ascii", errors="replace").splitlines()
                     if line.strip())


def _classify(top: Path, relative: str, boundaries: frozenset[str]) -> dict[tuple[str, str], ChangeKind]:
    """(commit, slug) → kind for the newest commits that edited a ``pattern.yaml``,
    judged from the lines they added: a new top-level ``status: deprecated`` or a new
    ``last_reviewed``."""
    output = _git(["log", "-p", "-U0", "--no-renames", "--no-color", f"-n{CLASSIFIED_COMMITS}", _FORMAT, "--",
                   f"{relative}/*/pattern.yaml"], top)
    kinds: dict[tuple[str, str], ChangeKind] = {}
    for change, lines in _records(output or ""):
        if change.commit in boundaries:
            continue
        slug = None
        for line in lines:
            if line.startswith("+++ "):
                match = re.search(r"/([^/]+)/pattern\.yaml$", line)
                slug = match.group(1) if match else None
                continue
            if slug is None or not line.startswith("+") or line.startswith("+++"):
                continue
            added = line[1:]
            if re.match(r"status:\s*['\"]?deprecated", added):
                kinds[(change.commit, slug)] = "deprecated"
            elif re.match(r"last_reviewed:", added) and kinds.get((change.commit, slug)) != "deprecated":
                kinds[(change.commit, slug)] = "re-reviewed"
    return kinds


def read_catalogue_history(catalogue_root: Path, depth: int = HISTORY_DEPTH) -> CatalogueHistory:
    """Read the history of every bundle under ``catalogue_root`` from git."""
    root = catalogue_root.resolve()
    top_text = _git(["rev-parse", "--show-toplevel"], root)
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
    output = _git(["log", "--name-status", "--no-renames", "--no-color", _FORMAT, "--", relative or "."], top)
    if output is None:
        return CatalogueHistory.unavailable("git could not read the history, so no change history is shown")
    kinds = _classify(top, relative or ".", boundaries)

    per_bundle: dict[str, list[Change]] = {}
    events: list[ChangeEvent] = []
    for change, lines in _records(output):
        if change.commit in boundaries:
            continue
        touched: dict[str, bool] = {}  # slug → whether this commit added its pattern.yaml
        for line in lines:
            status, _, name = line.partition("\t")
            if not name.startswith(prefix):
                continue
            parts = name[len(prefix):].split("/")
            if len(parts) != 2:
                continue
            slug = parts[0]
            touched[slug] = touched.get(slug, False) or (status == "A" and parts[1] == "pattern.yaml")
            if status == "D" and parts[1] == "pattern.yaml":
                touched.pop(slug, None)  # removed here; it has no page to link
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
    return CatalogueHistory(True, note, MappingProxyType(bundles), tuple(events))
