"""The bundle kinds, declared once: what each is called, which model validates it,
and which mapping of the catalogue holds its bundles.

Which kinds exist is :data:`~patternbook.schema.terms.KIND_TITLES` (the value a
bundle writes in ``kind:`` and the word readers see); this module adds what the
layers above need to handle a kind without naming it. Every output that lists or
describes bundles (pages, history, feed, ``llms.txt`` and the agent twins,
``catalogue.json``, search, MCP, diff) iterates :data:`BUNDLE_KINDS`, and
``tests/schema/test_kinds.py`` runs each output over every kind, so a kind added
to ``KIND_TITLES`` reaches every output or fails a test instead of falling
between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from patternbook.schema.anti_pattern import AntiPattern
from patternbook.schema.pattern import Pattern
from patternbook.schema.terms import KIND_TITLES

__all__ = ["BUNDLE_KINDS", "DEFAULT_KIND", "BundleKind", "kind_of"]


@dataclass(frozen=True)
class BundleKind:
    name: str
    """The value of ``kind:`` in ``pattern.yaml``."""
    title: str
    """What readers call one bundle of the kind ("Anti-pattern")."""
    plural: str
    """What a section listing them is headed ("Anti-patterns")."""
    description: str
    """What a bundle of the kind is, in a phrase ("a shape to recognise and leave")."""
    model: type[Pattern] | type[AntiPattern]
    """The validated model of a bundle of this kind."""
    catalogue_field: str
    """The attribute of :class:`~patternbook.catalogue.Catalogue` (and the list of
    ``catalogue.json``) holding the bundles of this kind, by slug."""

    @property
    def noun(self) -> str:
        """The kind inside a sentence ("this anti-pattern")."""
        return self.title.lower()


#: The kind of a bundle whose ``pattern.yaml`` leaves ``kind`` out.
DEFAULT_KIND = "pattern"

_DECLARED = (
    BundleKind("pattern", KIND_TITLES["pattern"], "Patterns", "a shape to adopt", Pattern, "patterns"),
    BundleKind("anti-pattern", KIND_TITLES["anti-pattern"], "Anti-patterns", "a shape to recognise and leave",
               AntiPattern, "anti_patterns"),
)

#: Every bundle kind, in the order of :data:`KIND_TITLES` (the order outputs list them in).
BUNDLE_KINDS: Mapping[str, BundleKind] = MappingProxyType(
    {name: kind for name in KIND_TITLES for kind in _DECLARED if kind.name == name})

# A kind named in KIND_TITLES but not described here would validate and then reach no output.
if tuple(BUNDLE_KINDS) != tuple(KIND_TITLES) or len(_DECLARED) != len(KIND_TITLES):
    raise RuntimeError(f"bundle kinds {sorted(KIND_TITLES)} and their descriptions "
                       f"{sorted(k.name for k in _DECLARED)} disagree: describe each kind once in schema/kinds.py")


def kind_of(bundle: Pattern | AntiPattern) -> BundleKind:
    """The kind of a validated bundle."""
    return BUNDLE_KINDS[bundle.kind]
