"""The pattern bundle contract.

:class:`PatternFile` is what a contributor writes in ``pattern.yaml``;
:class:`Pattern` adds what the loader knows from elsewhere (the slug from the
folder name, the solution from ``solution.md``). The five questions every
pattern must answer are the fields ``pressure``, ``when_not_to_use``,
``failure_edges``, ``cost`` and ``operations``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from patternbook.schema.adoption import Adoption, KnownUse
from patternbook.schema.base import StrictModel
from patternbook.schema.cost import (
    MAXIMUM_AMOUNT,
    MAXIMUM_MEASURE,
    MINIMUM_PER,
    PERIOD_TO_MONTH,
    Cost,
    CostDriver,
    CostEstimate,
    DriverCost,
    MonthlyCost,
    Price,
    Quantity,
    WorkloadParameter,
    format_amount,
)
from patternbook.schema.dates import PlausibleDate
from patternbook.schema.diagram import Diagram
from patternbook.schema.fields import Reason, Sentence, Summary, Title, reference_url
from patternbook.schema.retired_runtimes import RetiredRuntimeId
from patternbook.schema.terms import KIND_TITLES, PILLAR_TITLES, IacTool, Kind, RelationType, Status
from patternbook.schema.text import OneLine, Slug, prose, short_text
from patternbook.schema.vocabulary import check_https_url, in_vocabulary

__all__ = [
    "KINDS",
    "MAXIMUM_AMOUNT",
    "MAXIMUM_MEASURE",
    "MINIMUM_PER",
    "PERIOD_TO_MONTH",
    "PILLARS",
    "BundleHeader",
    "Cost",
    "CostDriver",
    "CostEstimate",
    "DriverCost",
    "FailureEdge",
    "IacTool",
    "Monitoring",
    "MonthlyCost",
    "Operations",
    "Pattern",
    "PatternFile",
    "Pillars",
    "Pressure",
    "Price",
    "Quantity",
    "Reference",
    "Relation",
    "RelationType",
    "Repository",
    "Status",
    "Variant",
    "VariantChanges",
    "WorkloadParameter",
    "format_amount",
]

#: What a bundle describes (kinds), and the pillar names in their reading order.
KINDS: tuple[str, ...] = tuple(KIND_TITLES)
PILLARS: tuple[str, ...] = tuple(PILLAR_TITLES)

CategoryId = Annotated[Slug, AfterValidator(in_vocabulary("category", "categories"))]
TagId = Annotated[Slug, AfterValidator(in_vocabulary("tag", "tags"))]
SymptomId = Annotated[Slug, AfterValidator(in_vocabulary("symptom", "symptoms"))]


def _repository_url(value: str, info: ValidationInfo) -> str:
    vocabulary = (info.context or {}).get("vocabulary")
    return check_https_url(value, hosts=vocabulary.repository_hosts if vocabulary else None)


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise PydanticCustomError("duplicate", "'{item}' is listed twice", {"item": item})
        seen.add(item)
    return items


def _no_traversal(value: str) -> str:
    if ".." in value.split("/"):
        raise PydanticCustomError("traversal", "'..' is not allowed in a repository path")
    return value


class Pillars(StrictModel):
    """The Well-Architected pillars this pattern serves, each with a one-line reason."""

    operational_excellence: Reason | None = None  # type: ignore[valid-type]
    """How it makes the system easier to run, change and recover (under ``harms``: harder)."""
    security: Reason | None = None  # type: ignore[valid-type]
    """How it narrows what an attacker or a mistake can reach (under ``harms``: how it widens that)."""
    reliability: Reason | None = None  # type: ignore[valid-type]
    """How it keeps the system serving through failures (under ``harms``: how it makes outages likelier)."""
    performance_efficiency: Reason | None = None  # type: ignore[valid-type]
    """How it gets more done with the same compute, memory or network (under ``harms``: how it wastes them)."""
    cost_optimization: Reason | None = None  # type: ignore[valid-type]
    """How it lowers or caps the bill for the same outcome (under ``harms``: how it inflates it)."""
    sustainability: Reason | None = None  # type: ignore[valid-type]
    """How it cuts the energy and hardware the workload needs (under ``harms``: how it adds to them)."""

    @model_validator(mode="after")
    def _at_least_one(self) -> Pillars:
        if not self.served():
            raise PydanticCustomError("too_short", "name at least one pillar with its reason")
        return self

    def served(self) -> dict[str, str]:
        return {name: reason for name in PILLARS if (reason := getattr(self, name))}


class Pressure(StrictModel):
    force: prose(120, 20)  # type: ignore[valid-type]
    """The force on the system that makes this shape necessary."""
    signals: list[Sentence] = Field(min_length=2, max_length=10)  # type: ignore[valid-type]
    """Observable signs that a team is under this pressure."""
    symptoms: Annotated[list[SymptomId], AfterValidator(_unique)] = Field(min_length=1, max_length=6)
    """Catalogue symptoms (ids from catalogue.yaml) this pattern answers."""


class FailureEdge(StrictModel):
    """One way the pattern breaks in production. Listed in order: the first breaks first."""

    fails: Sentence  # type: ignore[valid-type]
    """What breaks, as an operator sees it: a concrete behaviour, not a label like "degraded"."""
    trigger: Sentence  # type: ignore[valid-type]
    """What sets the failure off: a load, a deploy, a setting, a limit reached."""
    blast_radius: Sentence  # type: ignore[valid-type]
    """Who and what is affected once it breaks, and for how long."""
    detection: Sentence  # type: ignore[valid-type]
    """The metric, alarm or signal that tells you, by name."""
    mitigation: Sentence  # type: ignore[valid-type]
    """What limits the failure beforehand or while it lasts (an anti-pattern: while still in it)."""
    recovery: Sentence  # type: ignore[valid-type]
    """What on-call does to get back to normal once it has failed, in steps they could follow."""


class Monitoring(StrictModel):
    slis: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]
    """Measurable indicators that show the pattern is doing its job (share served, time open)."""
    alarms: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]
    """Each alarm with its signal, threshold and duration, and whom it pages or what it opens."""


class Operations(StrictModel):
    monitoring: Monitoring
    """What the owning team watches: the SLIs that show the pattern works, and the alarms on them."""
    runbooks: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]
    """Procedures on-call needs written down, each named by the situation it handles."""
    skills: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]
    """What the team must know to run it well and may not know yet."""
    toil: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]
    """Recurring manual work the pattern brings: reviews, rotations, clean-ups, tuning after incidents."""


class Repository(StrictModel):
    url: Annotated[str, Field(max_length=300), AfterValidator(_repository_url)]
    """The public repository's https address, on a host ``catalogue.yaml`` lists in ``repository_hosts``."""
    iac: IacTool
    """The infrastructure-as-code tool the repository deploys with: what a reader would have to run."""
    ref: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
    """The full commit SHA (40 lowercase hex digits) at which the description was checked.

    A branch or tag moves under the description; a commit does not, so the page links the
    tree at this commit and ``check-links`` reports how far the default branch has moved."""
    path: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$"),
                    AfterValidator(_no_traversal)] | None = None
    """Folder inside the repository that holds this pattern's code."""
    description: Summary  # type: ignore[valid-type]
    """What the code at ``ref`` shows, and where it differs from the page: true at that commit."""
    retired_runtimes: Annotated[list[RetiredRuntimeId], AfterValidator(_unique)] = Field(
        default_factory=list, max_length=8, exclude_if=lambda value: not value)
    """Runtimes or frameworks the code at ``ref`` uses that their provider has retired, by id from
    Patternbook's dated list (``python3.8``, ``aws-cdk-v1``). The page says so beside the link;
    ``check-links`` reports a retired runtime it finds at the pin that is not listed here."""

    @property
    def short_ref(self) -> str:
        """The abbreviated SHA shown on pages, as git and GitHub abbreviate it."""
        return self.ref[:7]

    @property
    def tree_url(self) -> str:
        """The repository's tree at the pinned commit (and path): what the description was read from."""
        base = self.url.rstrip("/").removesuffix(".git")
        separator = "/-/tree/" if base.startswith("https://gitlab.com/") else "/tree/"
        return f"{base}{separator}{self.ref}" + (f"/{self.path.strip('/')}" if self.path else "")


class Relation(StrictModel):
    type: RelationType
    """How the two relate; ``alternative_to``, ``complements`` and ``conflicts_with`` go on both bundles."""
    pattern: Slug
    """The other pattern's slug (its folder name under ``patterns/``)."""
    note: OneLine | None = None  # type: ignore[valid-type]
    """Optional: why the two go together or apart, in a line shown beside the link."""


class Reference(StrictModel):
    title: Title  # type: ignore[valid-type]
    """The source as a reader would look it up: its title, and author or publisher where it helps."""
    url: Annotated[str, Field(max_length=300), AfterValidator(reference_url)]
    """https address where a reader can read the source."""


class VariantChanges(StrictModel):
    """What choosing a variant changes against the pattern as described: at least one of the three."""

    failure_edges: Sentence | None = None  # type: ignore[valid-type]
    """How the failure edges move: one breaks earlier, later or differently, or a new one appears."""
    cost: Sentence | None = None  # type: ignore[valid-type]
    """How the bill moves: a driver added, removed or scaling differently."""
    operations: Sentence | None = None  # type: ignore[valid-type]
    """What the team runs, watches or knows differently."""

    @model_validator(mode="after")
    def _at_least_one(self) -> VariantChanges:
        if not (self.failure_edges or self.cost or self.operations):
            raise PydanticCustomError("too_short", "say what the variant changes: at least one of "
                                      "failure_edges, cost or operations")
        return self


class Variant(StrictModel):
    """A named way to build the pattern differently, and what that choice costs."""

    name: short_text(3, 60)  # type: ignore[valid-type]
    """Short, unique in the pattern: shown in comparisons beside the pattern's title."""
    choose_when: Sentence  # type: ignore[valid-type]
    """The situation in which this variant is the better choice."""
    changes: VariantChanges
    """What choosing this variant changes against the pattern as described."""


def _unique_variant_names(variants: list[Variant]) -> list[Variant]:
    seen: set[str] = set()
    for variant in variants:
        if variant.name.casefold() in seen:
            raise PydanticCustomError("duplicate", "variant name '{name}' is used twice (names are compared "
                                      "ignoring case)", {"name": variant.name})
        seen.add(variant.name.casefold())
    return variants


class BundleHeader(StrictModel):
    """What every bundle starts with, whatever its kind: what it is called, where
    it is filed and who keeps it true. Shared so that both kinds list, facet and
    age the same way."""

    kind: Kind = "pattern"  # type: ignore[valid-type]
    """``pattern`` (the default, may be left out) or ``anti-pattern``."""
    title: Title  # type: ignore[valid-type]
    """The name readers search for, unique in the catalogue: the usual name, not a sentence."""
    summary: Summary  # type: ignore[valid-type]
    """One line: what the pattern does, for lists and search results."""
    category: CategoryId
    """The ``catalogue.yaml`` category the bundle is filed under; it also sets the radar sector."""
    tags: Annotated[list[TagId], AfterValidator(_unique)] = Field(min_length=1, max_length=8)
    """Tag ids from ``catalogue.yaml`` readers filter by: platforms, technologies, concerns."""
    status: Status
    """How far to trust it: ``draft``, ``reviewed`` by a second person, ``proven`` in production, or ``deprecated``."""
    superseded_by: Slug | None = None
    """For a ``deprecated`` bundle: the slug of the bundle readers should use instead."""
    owners: list[short_text(2, 80)] = Field(min_length=1, max_length=10)  # type: ignore[valid-type]
    """People or teams who keep the page true, e.g. ``"@org/team"`` (quoted: YAML reserves ``@``)."""
    last_reviewed: PlausibleDate
    """When someone last checked the page against reality (not merely edited it); an unquoted date."""
    review_interval_days: int = Field(ge=30, le=730)
    """How many days after ``last_reviewed`` the next check is due; an overdue one is a warning (PB304)."""
    adoption: Adoption | None = Field(None, exclude_if=lambda value: value is None)
    """Optional: where this catalogue's organisation stands on the bundle (ring, since when, why)."""


class PatternFile(BundleHeader):
    """The contents of ``patterns/<slug>/pattern.yaml``."""

    kind: Literal["pattern"] = "pattern"
    """``pattern``, the default: a shape to adopt."""
    pillars: Pillars
    """The pillars the pattern serves, each with a one-line reason; leave out the rest."""
    pressure: Pressure
    """Why the shape is needed: the force behind it, what a team observes, the symptoms it answers."""
    when_to_use: list[Sentence] = Field(min_length=2, max_length=10)  # type: ignore[valid-type]
    """Concrete situations where the pattern is the right choice, specific enough to check."""
    when_not_to_use: list[Sentence] = Field(min_length=2, max_length=10)  # type: ignore[valid-type]
    """Situations that make the pattern wrong, each ideally naming what to use instead."""
    failure_edges: list[FailureEdge] = Field(min_length=2, max_length=10)
    """How the pattern breaks in production, in order: the first entry breaks first."""
    cost: Cost
    """What it costs to run: a stated range with its assumptions, and the drivers of the bill."""
    operations: Operations
    """What the owning team signs up for: monitoring, runbooks, skills and recurring toil."""
    repositories: list[Repository] = Field(min_length=1, max_length=8)
    """Public code that implements the pattern, each pinned to the commit it was read at."""
    relations: list[Relation] = Field(default_factory=list, max_length=20)
    """Optional, so a catalogue is valid from its first pattern; a pattern that
    relates to nothing while the catalogue holds others gets a warning (PB309)."""
    diagrams: list[Diagram] = Field(min_length=1, max_length=6)
    """The shape drawn from data (nodes, clusters, edges), matching ``solution.md``."""
    references: list[Reference] = Field(default_factory=list, max_length=20)
    """Sources a reader may want to check, including the source of every figure quoted."""
    known_uses: list[KnownUse] = Field(default_factory=list, max_length=12)
    """Real systems that use the pattern: who, what they do with it, optionally a link and since when."""
    variants: Annotated[list[Variant], AfterValidator(_unique_variant_names)] = Field(
        default_factory=list, max_length=6, exclude_if=lambda value: not value)
    """Optional: named ways to build the pattern differently, each with when to choose it and
    what it changes in failure edges, cost or operations. Names are unique (case aside)."""


class Pattern(PatternFile):
    """A validated pattern: the file plus what its folder and ``solution.md`` say."""

    slug: Slug
    solution: prose(300, 50, 30000)  # type: ignore[valid-type]
    """How it works, from ``solution.md``: components, flow, boundaries."""
