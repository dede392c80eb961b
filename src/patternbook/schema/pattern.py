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
    security: Reason | None = None  # type: ignore[valid-type]
    reliability: Reason | None = None  # type: ignore[valid-type]
    performance_efficiency: Reason | None = None  # type: ignore[valid-type]
    cost_optimization: Reason | None = None  # type: ignore[valid-type]
    sustainability: Reason | None = None  # type: ignore[valid-type]

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
    trigger: Sentence  # type: ignore[valid-type]
    blast_radius: Sentence  # type: ignore[valid-type]
    detection: Sentence  # type: ignore[valid-type]
    """The metric, alarm or signal that tells you, by name."""
    mitigation: Sentence  # type: ignore[valid-type]
    recovery: Sentence  # type: ignore[valid-type]


class Monitoring(StrictModel):
    slis: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]
    alarms: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]


class Operations(StrictModel):
    monitoring: Monitoring
    runbooks: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]
    skills: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]
    toil: list[Sentence] = Field(min_length=1, max_length=12)  # type: ignore[valid-type]


class Repository(StrictModel):
    url: Annotated[str, Field(max_length=300), AfterValidator(_repository_url)]
    iac: IacTool
    ref: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
    """The full commit SHA (40 lowercase hex digits) at which the description was checked.

    A branch or tag moves under the description; a commit does not, so the page links the
    tree at this commit and ``check-links`` reports how far the default branch has moved."""
    path: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$"),
                    AfterValidator(_no_traversal)] | None = None
    """Folder inside the repository that holds this pattern's code."""
    description: Summary  # type: ignore[valid-type]
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
    pattern: Slug
    note: OneLine | None = None  # type: ignore[valid-type]


class Reference(StrictModel):
    title: Title  # type: ignore[valid-type]
    url: Annotated[str, Field(max_length=300), AfterValidator(reference_url)]


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
    summary: Summary  # type: ignore[valid-type]
    """One line: what the pattern does, for lists and search results."""
    category: CategoryId
    tags: Annotated[list[TagId], AfterValidator(_unique)] = Field(min_length=1, max_length=8)
    status: Status
    superseded_by: Slug | None = None
    owners: list[short_text(2, 80)] = Field(min_length=1, max_length=10)  # type: ignore[valid-type]
    last_reviewed: PlausibleDate
    review_interval_days: int = Field(ge=30, le=730)
    adoption: Adoption | None = Field(None, exclude_if=lambda value: value is None)
    """Optional: where this catalogue's organisation stands on the bundle (ring, since when, why)."""


class PatternFile(BundleHeader):
    """The contents of ``patterns/<slug>/pattern.yaml``."""

    kind: Literal["pattern"] = "pattern"
    """``pattern``, the default: a shape to adopt."""
    pillars: Pillars
    pressure: Pressure
    when_to_use: list[Sentence] = Field(min_length=2, max_length=10)  # type: ignore[valid-type]
    when_not_to_use: list[Sentence] = Field(min_length=2, max_length=10)  # type: ignore[valid-type]
    failure_edges: list[FailureEdge] = Field(min_length=2, max_length=10)
    cost: Cost
    operations: Operations
    repositories: list[Repository] = Field(min_length=1, max_length=8)
    relations: list[Relation] = Field(default_factory=list, max_length=20)
    """Optional, so a catalogue is valid from its first pattern; a pattern that
    relates to nothing while the catalogue holds others gets a warning (PB309)."""
    diagrams: list[Diagram] = Field(min_length=1, max_length=6)
    references: list[Reference] = Field(default_factory=list, max_length=20)
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
