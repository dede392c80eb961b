"""The allowlist of diagram node kinds, read from a committed data file.

A node's ``kind`` names a ``diagrams`` provider class (``aws.compute.Lambda``).
The list is generated from the installed ``diagrams`` package by
:func:`patternbook.diagrams.kinds.write_node_kinds_file` and committed as
``diagram_kinds.txt`` next to this module, so that ``patternbook validate``
neither imports ``diagrams`` (some 2,600 classes) nor needs Graphviz. A test in
``tests/diagrams`` fails when the committed list drifts from the installed
package; regenerate it with ``python -m patternbook.diagrams.kinds``.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources

__all__ = ["KINDS_FILE", "closest_node_kinds", "known_node_kinds", "node_kind_check"]

KINDS_FILE = "diagram_kinds.txt"

_MAX_SUGGESTIONS = 3


@lru_cache(maxsize=1)
def known_node_kinds() -> frozenset[str]:
    """Every allowed ``provider.group.Class``; read once per process, lazily,
    because most commands that import the schema never look at a kind."""
    text = resources.files(__package__).joinpath(KINDS_FILE).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _kinds_by_lowercase() -> dict[str, str]:
    return {kind.lower(): kind for kind in known_node_kinds()}


@lru_cache(maxsize=1)
def _kinds_by_class_name() -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = {}
    for kind in sorted(known_node_kinds()):
        by_name.setdefault(kind.rsplit(".", 1)[-1].lower(), []).append(kind)
    return by_name


def closest_node_kinds(kind: str) -> list[str]:
    """Up to three known kinds a contributor most likely meant.

    Three sources, best first: the same kind spelled in another case
    (``aws.database.DynamoDB`` → ``aws.database.Dynamodb``), the same class in
    another group (``aws.db.RDS`` → ``aws.database.RDS``), then plain string
    similarity over the whole list.
    """
    found: list[str] = []

    def add(candidates: list[str]) -> None:
        for candidate in candidates:
            if candidate not in found and len(found) < _MAX_SUGGESTIONS:
                found.append(candidate)

    same_but_case = _kinds_by_lowercase().get(kind.lower())
    if same_but_case:
        add([same_but_case])
    parts = kind.split(".")
    class_name = parts[-1].lower()
    same_class = _kinds_by_class_name().get(class_name, [])
    provider = parts[0] if len(parts) == 3 else ""
    add([k for k in same_class if k.startswith(provider + ".")])
    add(same_class)
    add(difflib.get_close_matches(kind, sorted(known_node_kinds()), n=_MAX_SUGGESTIONS, cutoff=0.6))
    if len(found) < _MAX_SUGGESTIONS:
        # Case-insensitive similarity catches `aws.compute.lambdaFunction`-style slips.
        by_lower = _kinds_by_lowercase()
        add([by_lower[m] for m in difflib.get_close_matches(kind.lower(), sorted(by_lower), n=3, cutoff=0.6)])
    return found


def node_kind_check(kind: str) -> str | None:
    """``None`` for an allowed kind, else a hint naming the closest matches.

    This is the default ``kind_check`` of the validation layer.
    """
    if kind in known_node_kinds():
        return None
    matches = closest_node_kinds(kind)
    if matches:
        return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"
    provider = kind.split(".", 1)[0]
    providers = sorted({k.split(".", 1)[0] for k in known_node_kinds()})
    if provider not in providers:
        return "kinds start with a diagrams provider: " + ", ".join(providers)
    return "see the node classes listed at https://diagrams.mingrammer.com/docs/nodes/" + provider
