"""Where the organisation stands on a bundle: its adoption ring, and the known uses behind it.

A bundle says what a pattern is; ``adoption`` says what *we* do with it: use it
by default (``adopt``), try it where the risk is affordable (``trial``), look
into it (``assess``) or start nothing new with it (``hold``), since when and
why, in one sentence. The rings are the catalogue's to name: ``catalogue.yaml``
may declare its own (``adoption.rings``, centre first, with titles and
colours), group categories into the radar's quadrants, require evidence for a
ring or a status (``adopt`` needs three known uses) and say how recent a ring
move must be for the radar to mark it. Without an ``adoption`` section the
defaults below apply, so a catalogue gains the radar by writing rings on its
bundles and nothing else.

No file I/O and no catalogue here: the ring a bundle names is checked against
the catalogue's rings through the validation context (PB701), the evidence and
anti-pattern rules run in :mod:`patternbook.validation.adoption_rules`.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from patternbook.schema.base import StrictModel
from patternbook.schema.dates import PlausibleDate
from patternbook.schema.terms import RING_TITLES, Status
from patternbook.schema.text import OneLine, Slug, prose, short_text
from patternbook.schema.vocabulary import check_https_url, did_you_mean

__all__ = [
    "DEFAULT_MOVED_WITHIN_DAYS",
    "DEFAULT_RINGS",
    "Adoption",
    "AdoptionSettings",
    "EvidenceRule",
    "KnownUse",
    "Quadrant",
    "RingDefinition",
    "ring_move_text",
]

#: Blips whose ring moved within this many days of the newest commit are marked on the radar.
DEFAULT_MOVED_WITHIN_DAYS = 90

#: A colour Patternbook writes into SVG and JSON as it is: six hex digits, nothing a reader could parse otherwise.
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]

#: Colour and meaning of each default ring (the titles are :data:`~patternbook.schema.terms.RING_TITLES`).
_DEFAULT_RING_LOOKS: dict[str, tuple[str, str]] = {
    "adopt": ("#2e7d32", "We use it by default where it fits; not using it needs a reason."),
    "trial": ("#1565c0", "We use it on real work that can afford the risk, and learn where it fits."),
    "assess": ("#b26a00", "Worth understanding and prototyping; not yet a default for production."),
    "hold": ("#c62828", "Start nothing new with it; existing uses are being reconsidered."),
}

#: One sentence: a full stop, question or exclamation mark followed by more text means two.
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\S")


def _one_sentence(value: str) -> str:
    if _SENTENCE_BREAK.search(value):
        raise PydanticCustomError("not_one_sentence", "write the rationale as one sentence")
    return value


def _in_catalogue_rings(value: str, info: ValidationInfo) -> str:
    """Only a ring the catalogue declares (PB701); without a validation context (JSON Schema) any slug."""
    vocabulary = (info.context or {}).get("vocabulary")
    if vocabulary is None:
        return value
    rings = vocabulary.adoption.ring_ids if vocabulary.adoption is not None else tuple(RING_TITLES)
    if value not in rings:
        hint = did_you_mean(value, rings)
        raise PydanticCustomError("ring", "'{value}' is not an adoption ring of this catalogue ({rings}){hint}",
                                  {"value": value, "rings": ", ".join(rings), "hint": f"; {hint}" if hint else ""})
    return value


RingId = Annotated[Slug, AfterValidator(_in_catalogue_rings)]


def _link(value: str) -> str:
    return check_https_url(value, hosts=None)


class Adoption(StrictModel):
    """The organisation's stance on a bundle: a ring of the radar, since when, and why."""

    ring: RingId
    """A ring of the catalogue: by default ``adopt``, ``trial``, ``assess`` or ``hold`` (an anti-pattern's)."""
    since: PlausibleDate
    """When the bundle entered this ring (not in the future)."""
    rationale: Annotated[prose(20, 4, 240), AfterValidator(_one_sentence)]  # type: ignore[valid-type]
    """Why it sits in this ring, in one sentence of at most 240 characters."""


class KnownUse(StrictModel):
    """A real system that uses the pattern (or, for an anti-pattern, that showed the shape)."""

    who: short_text(2, 80)  # type: ignore[valid-type]
    """The organisation, team or system."""
    what: prose(20, 4, 600)  # type: ignore[valid-type]
    """What they do with it, or what happened, in a sentence."""
    url: Annotated[str, Field(max_length=300), AfterValidator(_link)] | None = Field(
        None, exclude_if=lambda value: value is None)
    """Optional https link where a reader can check it."""
    since: PlausibleDate | None = Field(None, exclude_if=lambda value: value is None)
    """Optional: since when (or when it happened)."""


class RingDefinition(StrictModel):
    """One ring of the radar, as ``catalogue.yaml`` names it."""

    id: Slug
    """The value bundles write in ``adoption.ring``."""
    title: short_text(2, 30)  # type: ignore[valid-type]
    """The ring's name on the radar and on pages (``Adopt``)."""
    colour: Colour
    """The blip colour, ``#rrggbb``."""
    description: OneLine | None = None  # type: ignore[valid-type]
    """What a bundle in this ring means for a team, in a line."""


def _default_rings() -> list[RingDefinition]:
    return [RingDefinition(id=ring, title=title, colour=_DEFAULT_RING_LOOKS[ring][0],
                           description=_DEFAULT_RING_LOOKS[ring][1]) for ring, title in RING_TITLES.items()]


#: The rings of a catalogue whose ``catalogue.yaml`` names none.
DEFAULT_RINGS: tuple[RingDefinition, ...] = tuple(_default_rings())


class EvidenceRule(StrictModel):
    """Evidence a ring or a status needs: at least ``known_uses`` typed known uses."""

    ring: Slug | None = None
    """The ring this rule guards; a rule names a ring or a ``status``, not both."""
    status: Status | None = None  # type: ignore[valid-type]
    """The bundle status this rule guards; a rule names a ``ring`` or a status, not both."""
    known_uses: int = Field(ge=1, le=12)
    """The fewest known uses a bundle in that ring (or with that status) must list."""

    @model_validator(mode="after")
    def _one_subject(self) -> EvidenceRule:
        if (self.ring is None) == (self.status is None):
            raise PydanticCustomError("evidence_subject", "an evidence rule names either a ring or a status")
        return self

    @property
    def subject(self) -> str:
        return f"ring '{self.ring}'" if self.ring else f"status '{self.status}'"


class Quadrant(StrictModel):
    """A sector of the radar: a title and the categories whose bundles it holds."""

    id: Slug
    """Short name of the sector; ``tech-radar.json`` gives it as each entry's quadrant."""
    title: short_text(2, 40)  # type: ignore[valid-type]
    """The sector's name as the radar shows it (``Data and AI``)."""
    categories: list[Slug] = Field(min_length=1, max_length=40)
    """Category ids whose bundles sit in this sector; every category in exactly one sector."""


class AdoptionSettings(StrictModel):
    """``adoption:`` in ``catalogue.yaml``; every key optional."""

    rings: list[RingDefinition] = Field(default_factory=_default_rings, min_length=1, max_length=8)
    """The rings, centre first (the most adopted) to the edge."""
    anti_pattern_ring: Slug | None = None
    """The only ring an anti-pattern may take; the outermost ring when left out."""
    quadrants: list[Quadrant] = Field(default_factory=list, max_length=12)
    """How categories group into the radar's sectors; one sector per category when empty. Backstage's
    tech-radar draws four: declare four here for ``tech-radar.json`` to read well there."""
    require: list[EvidenceRule] = Field(default_factory=list, max_length=20)
    """Evidence a ring or status needs (PB702), e.g. ``{ring: adopt, known_uses: 3}``."""
    moved_within_days: int = Field(DEFAULT_MOVED_WITHIN_DAYS, ge=1, le=3650)
    """A blip whose ring moved within this many days is marked as moved."""

    @property
    def ring_ids(self) -> tuple[str, ...]:
        return tuple(ring.id for ring in self.rings)

    @property
    def ring_titles(self) -> dict[str, str]:
        return {ring.id: ring.title for ring in self.rings}

    @property
    def hold_ring(self) -> str:
        """The ring anti-patterns take."""
        return self.anti_pattern_ring or self.rings[-1].id

    def ring(self, ring_id: str) -> RingDefinition | None:
        return next((ring for ring in self.rings if ring.id == ring_id), None)

    def moved(self, before: str, after: str) -> int:
        """Backstage's ``moved``: 1 toward the centre, -1 outward, 0 unchanged or unknown."""
        ids = self.ring_ids
        if before not in ids or after not in ids or before == after:
            return 0
        return 1 if ids.index(after) < ids.index(before) else -1


def ring_move_text(subject: str, before: str, after: str) -> str:
    """How every output words a ring move: ``saga: trial → adopt``."""
    return f"{subject}: {before} → {after}"
