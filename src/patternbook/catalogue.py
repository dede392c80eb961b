"""The validated catalogue as one immutable object that pages and adapters query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import get_args

from patternbook.schema import (
    ANTI_PATTERN_RELATION_TYPES,
    AntiPattern,
    Bundle,
    CatalogueFile,
    Category,
    Pattern,
    Series,
    Symptom,
)
from patternbook.schema.kinds import BUNDLE_KINDS, BundleKind
from patternbook.schema.pattern import RelationType

__all__ = ["NEIGHBOURHOOD_LIMIT", "REFACTOR_TO", "Catalogue", "RelationEdge"]

#: The edge type of an anti-pattern's ``refactor_to`` entries in the relation graph.
REFACTOR_TO = "refactor_to"

#: The most bundles a neighbourhood graph draws around its own. Without a bound, a
#: pattern that 1,000 bundles relate to is one ``dot`` graph of 1,001 nodes, which
#: ``dot`` does not finish in minutes and nobody could read. Room is left for every
#: relation a bundle writes itself (at most 20, plus an anti-pattern's 8 refactoring
#: steps), so only bundles that relate *to* it are ever left out of its drawing.
NEIGHBOURHOOD_LIMIT = 30

#: Relation types in the order :meth:`Catalogue.neighbours` ranks them: as the schema declares them.
_RELATION_ORDER = {name: rank for rank, name in enumerate(
    (*get_args(RelationType), REFACTOR_TO, *ANTI_PATTERN_RELATION_TYPES))}


@dataclass(frozen=True, slots=True)
class RelationEdge:
    source: str
    target: str
    type: str


@dataclass(frozen=True)
class Catalogue:
    definitions: CatalogueFile
    patterns: Mapping[str, Pattern]
    anti_patterns: Mapping[str, AntiPattern] = field(default_factory=lambda: MappingProxyType({}))
    """Kept apart from ``patterns``: everything that reads costs, operations or
    repositories iterates ``patterns`` and never meets a shape without them."""

    @classmethod
    def from_models(cls, definitions: CatalogueFile, patterns: Mapping[str, Pattern],
                    anti_patterns: Mapping[str, AntiPattern] | None = None) -> Catalogue:
        ordered = dict(sorted(patterns.items()))
        anti_ordered = dict(sorted((anti_patterns or {}).items()))
        return cls(definitions, MappingProxyType(ordered), MappingProxyType(anti_ordered))

    @cached_property
    def entries(self) -> Mapping[str, Bundle]:
        """Bundles of every kind together, by slug: the nodes of relation graphs, and what
        every output that lists or describes bundles iterates."""
        return MappingProxyType(dict(sorted(
            (slug, bundle) for kind in BUNDLE_KINDS for slug, bundle in self.of_kind(kind).items())))

    def of_kind(self, kind: str) -> Mapping[str, Bundle]:
        """The bundles of one kind (a name of :data:`~patternbook.schema.kinds.BUNDLE_KINDS`), by slug."""
        return getattr(self, BUNDLE_KINDS[kind].catalogue_field)

    def by_kind(self) -> list[tuple[BundleKind, Mapping[str, Bundle]]]:
        """Every kind with its bundles, in the registry's order, kinds without bundles included."""
        return [(kind, self.of_kind(name)) for name, kind in BUNDLE_KINDS.items()]

    @property
    def categories(self) -> tuple[Category, ...]:
        return tuple(self.definitions.categories)

    @property
    def series(self) -> tuple[Series, ...]:
        return tuple(self.definitions.series)

    @property
    def symptoms(self) -> tuple[Symptom, ...]:
        return tuple(self.definitions.symptoms)

    def in_category(self, category_id: str) -> list[Pattern]:
        return [p for p in self.patterns.values() if p.category == category_id]

    def anti_patterns_in_category(self, category_id: str) -> list[AntiPattern]:
        return [a for a in self.anti_patterns.values() if a.category == category_id]

    def producing(self, symptom_id: str) -> list[AntiPattern]:
        """Anti-patterns that produce a symptom, those naming it earlier first."""
        found = [a for a in self.anti_patterns.values() if symptom_id in a.symptoms]
        return sorted(found, key=lambda a: (a.symptoms.index(symptom_id), a.title.casefold()))

    def refactored_from(self, slug: str) -> list[AntiPattern]:
        """Anti-patterns that list ``slug`` in ``refactor_to``: the reverse is derived, never written."""
        return [a for a in self.anti_patterns.values() if any(step.pattern == slug for step in a.refactor_to)]

    def with_tag(self, tag: str) -> list[Pattern]:
        return [p for p in self.patterns.values() if tag in p.tags]

    def answering(self, symptom_id: str) -> list[Pattern]:
        return [p for p in self.patterns.values() if symptom_id in p.pressure.symptoms]

    def series_of(self, slug: str) -> list[Series]:
        return [s for s in self.definitions.series if slug in s.patterns]

    def relation_edges(self) -> list[RelationEdge]:
        """Every typed relation between bundles of this catalogue, ``refactor_to`` included."""
        entries = self.entries
        edges = [RelationEdge(p.slug, r.pattern, r.type)
                 for p in entries.values() for r in p.relations if r.pattern in entries]
        edges += [RelationEdge(a.slug, step.pattern, REFACTOR_TO)
                  for a in self.anti_patterns.values() for step in a.refactor_to if step.pattern in entries]
        return edges

    def related(self, slug: str) -> dict[str, list[Bundle]]:
        """Bundles ``slug`` relates to, grouped by relation type."""
        groups: dict[str, list[Bundle]] = defaultdict(list)
        for relation in self.entries[slug].relations:
            if relation.pattern in self.entries:
                groups[relation.type].append(self.entries[relation.pattern])
        return dict(groups)

    def alternative_groups(self) -> list[list[Pattern]]:
        """Patterns joined by ``alternative_to`` (in either direction), as groups of two or more."""
        neighbours: dict[str, set[str]] = defaultdict(set)
        for edge in self.relation_edges():
            if edge.type == "alternative_to":
                neighbours[edge.source].add(edge.target)
                neighbours[edge.target].add(edge.source)
        seen: set[str] = set()
        groups: list[list[Pattern]] = []
        for start in sorted(neighbours):
            if start in seen:
                continue
            group, frontier = set(), [start]
            while frontier:
                slug = frontier.pop()
                if slug not in group:
                    group.add(slug)
                    frontier.extend(neighbours[slug] - group)
            seen |= group
            groups.append([self.patterns[slug] for slug in sorted(group)])
        return groups

    def ranked_for_symptom(self, symptom_id: str) -> list[Pattern]:
        """Patterns answering a symptom, best first: those that name it earlier in
        their pressure, then the more proven, then the more focused."""
        maturity = {"proven": 0, "reviewed": 1, "draft": 2, "deprecated": 3}

        def rank(pattern: Pattern) -> tuple[int, int, int, str]:
            symptoms = pattern.pressure.symptoms
            return (symptoms.index(symptom_id), maturity[pattern.status], len(symptoms), pattern.title.casefold())

        return sorted(self.answering(symptom_id), key=rank)

    @cached_property
    def _nearness(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Both directions of every relation, built once (neighbourhoods of every
        pattern would otherwise scan the catalogue once per pattern): for each bundle,
        each bundle related to it with the best (direction, type rank) relating them,
        direction 0 when the bundle names the other itself, 1 when the other names it."""
        nearness: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        for edge in self.relation_edges():
            if edge.source == edge.target:
                continue
            rank = _RELATION_ORDER.get(edge.type, len(_RELATION_ORDER))
            for slug, other, direction in ((edge.source, edge.target, 0), (edge.target, edge.source, 1)):
                known = nearness[slug].get(other)
                if known is None or (direction, rank) < known:
                    nearness[slug][other] = (direction, rank)
        return nearness

    def neighbours(self, slug: str) -> list[str]:
        """Every bundle ``slug`` relates to or that relates to it, nearest first: those it
        names itself, then those naming it; each group by relation type (in the order the
        schema declares them), then by slug. Deterministic, so the same bundles are drawn
        on every build."""
        near = self._nearness.get(slug, {})
        return sorted(near, key=lambda other: (*near[other], other))

    def neighbourhood(self, slug: str, limit: int | None = None) -> Catalogue:
        """The bundle and every bundle it relates to or that relates to it, or with
        ``limit`` only that many of them, the nearest (:meth:`neighbours`)."""
        near = {slug, *self.neighbours(slug)[:limit]}
        return Catalogue.from_models(self.definitions, {s: self.patterns[s] for s in near if s in self.patterns},
                                     {s: self.anti_patterns[s] for s in near if s in self.anti_patterns})
