"""The anti-pattern bundle contract.

An anti-pattern is a bundle whose ``pattern.yaml`` says ``kind: anti-pattern``.
It lives in the same folder as every pattern and holds the same two files, so
the loader, slugs and editors treat both kinds alike; only the fields differ.
A pattern answers "how do I build this and what does it cost to run?", which
makes no sense for a shape nobody should build. An anti-pattern answers what it
looks like (``solution.md``'s ``## Shape`` and the diagrams), why teams fall into
it (``pressure``), how it fails (``failure_edges``, in order), the signals that
you are in it (``signals``) and the patterns to refactor toward
(``refactor_to``, each of which must name a pattern of the catalogue).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from patternbook.schema.adoption import KnownUse
from patternbook.schema.base import StrictModel
from patternbook.schema.diagram import Diagram
from patternbook.schema.pattern import (
    BundleHeader,
    FailureEdge,
    Pillars,
    Reference,
    Sentence,
    SymptomId,
    _unique,
)
from patternbook.schema.terms import ANTI_PATTERN_RELATION_TITLES, AntiPatternRelationType
from patternbook.schema.text import OneLine, Slug, prose

__all__ = [
    "ANTI_PATTERN_RELATION_TYPES",
    "AntiPattern",
    "AntiPatternFile",
    "AntiPatternPressure",
    "AntiPatternRelation",
    "RefactorStep",
]

#: How anti-patterns relate to each other. They never use the pattern relation
#: types: "alternative to" or "requires" between two shapes to avoid says nothing.
ANTI_PATTERN_RELATION_TYPES: tuple[str, ...] = tuple(ANTI_PATTERN_RELATION_TITLES)


class AntiPatternPressure(StrictModel):
    force: prose(120, 20)  # type: ignore[valid-type]
    """Why teams fall into it: the pressure that makes this shape look right at the time."""


class RefactorStep(StrictModel):
    """A pattern to move toward. It must name a pattern (not an anti-pattern) of this catalogue."""

    pattern: Slug
    """The slug of a current pattern of this catalogue that removes part of the problem."""
    why: Sentence  # type: ignore[valid-type]
    """What moving to that pattern removes of this anti-pattern, and where to start."""


class AntiPatternRelation(StrictModel):
    """A link to another anti-pattern: ``found_with`` (the two usually arrive together;
    the other one must say it too) or ``leads_to`` (this one tends to grow into the other)."""

    type: AntiPatternRelationType
    """``found_with`` (they arrive together; mirrored) or ``leads_to`` (this grows into it)."""
    pattern: Slug
    """The other anti-pattern's slug."""
    note: OneLine | None = None  # type: ignore[valid-type]
    """Optional: how the two connect, in a line shown beside the link."""


class AntiPatternFile(BundleHeader):
    """The contents of ``patterns/<slug>/pattern.yaml`` for ``kind: anti-pattern``."""

    kind: Literal["anti-pattern"]
    """``anti-pattern``: a shape to recognise and leave."""
    harms: Pillars
    """The Well-Architected pillars this shape erodes, each with how."""
    pressure: AntiPatternPressure
    """Why teams fall into the shape, told fairly: what made it look right at the time."""
    signals: list[Sentence] = Field(min_length=2, max_length=10)  # type: ignore[valid-type]
    """Observable signs that a system is in this anti-pattern."""
    symptoms: Annotated[list[SymptomId], AfterValidator(_unique)] = Field(min_length=1, max_length=6)
    """Catalogue symptoms (ids from catalogue.yaml) this shape produces; the problem finder lists it under them."""
    failure_edges: list[FailureEdge] = Field(min_length=3, max_length=10)
    """How it fails, in order: the first is what breaks first."""
    refactor_to: list[RefactorStep] = Field(min_length=1, max_length=8)
    """Patterns to refactor toward, the first step first."""
    tolerable_when: list[Sentence] = Field(min_length=1, max_length=6)  # type: ignore[valid-type]
    """Situations where living with this shape is a reasonable choice."""
    relations: list[AntiPatternRelation] = Field(default_factory=list, max_length=20)
    """Other anti-patterns this one arrives with or tends to grow into."""
    diagrams: list[Diagram] = Field(min_length=1, max_length=6)
    """The shape as it is found in production, drawn from data: the problem, not the fix."""
    references: list[Reference] = Field(default_factory=list, max_length=20)
    """Sources for the shape and its failures, including every figure quoted."""
    known_uses: list[KnownUse] = Field(default_factory=list, max_length=12)
    """Real systems or incidents that showed this shape: who, what happened, optionally a link and since when."""


class AntiPattern(AntiPatternFile):
    """A validated anti-pattern: the file plus what its folder and ``solution.md`` say."""

    slug: Slug
    solution: prose(200, 40, 30000)  # type: ignore[valid-type]
    """From ``solution.md``: ``## Shape`` (what it looks like) and ``## Way out`` (the refactoring path)."""
