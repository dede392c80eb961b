"""What ``patternbook diff`` finds: the two sides and the changes between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from patternbook.schema.kinds import DEFAULT_KIND

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


