"""The pattern bundle contract.

:class:`PatternFile` is what a contributor writes in ``pattern.yaml``;
:class:`Pattern` adds what the loader knows from elsewhere (the slug from the
folder name, the solution from ``solution.md``). The five questions every
pattern must answer are the fields ``pressure``, ``when_not_to_use``,
``failure_edges``, ``cost`` and ``operations``.
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from patternbook.schema.adoption import Adoption, KnownUse
from patternbook.schema.base import StrictModel
from patternbook.schema.dates import PlausibleDate
from patternbook.schema.diagram import Diagram
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

Title = short_text(3, 80)
Summary = short_text(30, 200)
Sentence = prose(20, 4, 600)
Paragraph = prose(40, 8, 1500)
Reason = short_text(15, 200)

CategoryId = Annotated[Slug, AfterValidator(in_vocabulary("category", "categories"))]
TagId = Annotated[Slug, AfterValidator(in_vocabulary("tag", "tags"))]
SymptomId = Annotated[Slug, AfterValidator(in_vocabulary("symptom", "symptoms"))]


def _repository_url(value: str, info: ValidationInfo) -> str:
    vocabulary = (info.context or {}).get("vocabulary")
    return check_https_url(value, hosts=vocabulary.repository_hosts if vocabulary else None)


def _reference_url(value: str) -> str:
    return check_https_url(value, hosts=None)


#: The largest amount of money Patternbook reads or computes per estimate period: every stated
#: amount and list price here, and every computed cost, per driver and in total (PB606). Far above
#: any real bill, and far below where a float stops holding whole cents.
MAXIMUM_AMOUNT = 1e12
#: The largest count or coefficient: a workload value, a quantity's ``fixed`` or ``per_workload`` term.
MAXIMUM_MEASURE = 1e15
#: The smallest ``price.per``. A smaller one makes the unit price (``amount / per``) overflow
#: (1e12 / 1e-300 is infinity, and infinity × a quantity of 0 is NaN) and prints as "per 0 units".
#: With it every product of the cost model is finite: a unit price is at most 1e18 and a quantity
#: at most 1e15 + 12 × 1e15 × 1e15, so a driver costs at most about 1e49 before PB606 bounds it.
MINIMUM_PER = 1e-6
#: An amount of money: finite (``.inf`` and ``.nan`` are YAML floats that JSON cannot hold) and bounded.
Amount = Annotated[float, Field(ge=0, le=MAXIMUM_AMOUNT, allow_inf_nan=False)]


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


def _check_high_not_below_low(high: float, info: ValidationInfo) -> float:
    """A range's ``high`` may not sit below its ``low`` (the estimate's and each workload parameter's)."""
    low = info.data.get("low")
    if low is not None and high < low:
        raise PydanticCustomError("range", "high ({high}) is below low ({low})", {"high": high, "low": low})
    return high


class CostEstimate(StrictModel):
    low: Amount
    high: Amount
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    period: Literal["hour", "day", "month", "year"]
    as_of: PlausibleDate
    assumptions: Paragraph  # type: ignore[valid-type]
    """Scale, region, traffic and sizes that make the range checkable."""

    _high_not_below_low = field_validator("high")(_check_high_not_below_low)


#: A workload parameter's id: snake_case, so it reads as a name in ``quantity.per_workload``.
WorkloadId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
#: A count or a coefficient: finite, non-negative and bounded (so sums stay finite).
Measure = Annotated[float, Field(ge=0, le=MAXIMUM_MEASURE, allow_inf_nan=False)]

#: Periods per month: an amount per ``period`` times this is the amount per month, so
#: estimates of different periods sit side by side. A month holds 730 hours (8,760 hours
#: a year / 12, the hours providers bill an always-on instance for), 365/12 days, and
#: 1/12 of a year.
PERIOD_TO_MONTH: dict[str, float] = {"hour": 730.0, "day": 365 / 12, "month": 1.0, "year": 1 / 12}


class WorkloadParameter(StrictModel):
    """One quantity the estimate assumes (requests per month, GB stored, hours running)."""

    id: WorkloadId
    """snake_case, unique in the pattern; drivers name it in ``quantity.per_workload``."""
    label: short_text(2, 60)  # type: ignore[valid-type]
    """Short, shown beside the calculator's input."""
    unit: short_text(1, 40)  # type: ignore[valid-type]
    """Short free text: ``calls per month``, ``GB stored``."""
    low: Measure
    """The value behind ``estimate.low``."""
    high: Measure
    """The value behind ``estimate.high`` (not below ``low``)."""

    _high_not_below_low = field_validator("high")(_check_high_not_below_low)


class Price(StrictModel):
    """The provider's list price of one cost driver."""

    amount: Amount
    """In ``currency``, for ``per`` units of ``unit``."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    """ISO 4217 code; must equal ``cost.estimate.currency``."""
    per: Annotated[float, Field(ge=MINIMUM_PER, le=MAXIMUM_MEASURE, allow_inf_nan=False)] = 1
    """How many units ``amount`` buys (1,000,000 for "per million requests"); at least 0.000001."""
    unit: short_text(2, 80)  # type: ignore[valid-type]
    """What is billed: ``read request units``, ``GB-month``, ``instance-hours``."""
    source: Annotated[str, Field(max_length=300), AfterValidator(_reference_url)]
    """https address of the provider's pricing page, where a reader can check the amount."""
    as_of: PlausibleDate

    @property
    def unit_price(self) -> float:
        return self.amount / self.per


class Quantity(StrictModel):
    """Units billed per estimate period: ``fixed`` plus one term per workload parameter."""

    fixed: Measure = 0
    """Billed whatever the workload (730 hours for one always-on instance per month)."""
    per_workload: dict[WorkloadId, Measure] = Field(default_factory=dict, max_length=12)
    """Workload id → billed units per one unit of that parameter."""

    def at(self, workload: dict[str, float]) -> float:
        """Billed units for the given workload values (ids missing from ``workload`` count as 0)."""
        return self.fixed + sum(coefficient * workload.get(name, 0.0)
                                for name, coefficient in self.per_workload.items())


class CostDriver(StrictModel):
    component: short_text(2, 80)  # type: ignore[valid-type]
    dimension: short_text(4, 160)  # type: ignore[valid-type]
    """What the provider bills for (GB-month, requests, instance-hours)."""
    scaling: Sentence  # type: ignore[valid-type]
    """How the bill moves with load."""
    price: Price | None = Field(None, exclude_if=lambda value: value is None)
    """Optional list price; once one driver has one, every driver needs one (PB602)."""
    quantity: Quantity | None = Field(None, exclude_if=lambda value: value is None)
    """Units billed per estimate period; required with ``price``."""

    def cost_at(self, workload: dict[str, float]) -> float | None:
        """This driver's cost per estimate period, or ``None`` when it is not priced."""
        if self.price is None or self.quantity is None:
            return None
        return self.price.unit_price * self.quantity.at(workload)


#: Room for every digit of any finite float rounded to four decimals (the default context keeps
#: 28 digits, and quantizing a larger amount raises ``decimal.InvalidOperation``).
_EVERY_DIGIT = decimal.Context(prec=400)


def format_amount(value: float, currency: str) -> str:
    """``12.5, "USD"`` → ``USD 12.50``: two decimals, or four for a non-zero amount
    below one cent (a unit price), with thousands separators. The page's calculator
    (``patternbook.js``) formats the same way.

    A value that is not finite is refused (:class:`ValueError`), never printed as ``NaN``:
    validation keeps every amount and computed cost finite (PB606), so one here is a bug."""
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not an amount of money")
    digits = 4 if 0 < abs(value) < 0.01 else 2
    # The exact binary value, ties away from zero: what JavaScript's Number.toFixed does, so the
    # page's calculator and this function never disagree by a cent (Python's own format rounds
    # ties to even, Chromium's toLocaleString rounds the shortest decimal form).
    exact = decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_UP,
                                            context=_EVERY_DIGIT)
    return f"{currency} {exact:,.{digits}f}"


@dataclass(frozen=True)
class MonthlyCost:
    """A pattern's cost per month, to put alternatives side by side: the stated range,
    and the computed one when every driver is priced (``None`` otherwise)."""

    currency: str
    period: str
    """The estimate's own period, converted from with :data:`PERIOD_TO_MONTH`."""
    low: float
    high: float
    computed_low: float | None = None
    computed_high: float | None = None


@dataclass(frozen=True)
class DriverCost:
    """One priced driver's computed cost per estimate period at the workload's low and high values."""

    component: str
    dimension: str
    low: float
    high: float


class Cost(StrictModel):
    estimate: CostEstimate
    workload: list[WorkloadParameter] = Field(default_factory=list, max_length=12,
                                              exclude_if=lambda value: not value)
    """The parameters the estimate assumes; the calculator lets a reader change them."""
    drivers: list[CostDriver] = Field(min_length=1, max_length=12)

    @property
    def priced(self) -> bool:
        """Whether every driver has a price and a quantity, so the computed total is the whole bill."""
        return all(d.price is not None and d.quantity is not None for d in self.drivers)

    def workload_values(self, bound: Literal["low", "high"]) -> dict[str, float]:
        return {parameter.id: getattr(parameter, bound) for parameter in self.workload}

    def breakdown(self) -> list[DriverCost] | None:
        """Each driver's cost per estimate period at the low and high workload, or ``None``
        unless every driver is priced::

            driver cost = price.amount / price.per × (quantity.fixed + Σ coefficient × workload value)
        """
        if not self.priced:
            return None
        low, high = self.workload_values("low"), self.workload_values("high")
        return [DriverCost(d.component, d.dimension, d.cost_at(low) or 0.0, d.cost_at(high) or 0.0)
                for d in self.drivers]

    def per_month(self) -> MonthlyCost:
        """The stated and computed ranges converted to a month (see :data:`PERIOD_TO_MONTH`)."""
        factor = PERIOD_TO_MONTH[self.estimate.period]
        computed = self.computed()
        return MonthlyCost(self.estimate.currency, self.estimate.period, self.estimate.low * factor,
                           self.estimate.high * factor, *((computed[0] * factor, computed[1] * factor)
                                                          if computed else (None, None)))

    def computed(self) -> tuple[float, float] | None:
        """The computed (low, high) total per estimate period, or ``None`` unless every driver is priced."""
        breakdown = self.breakdown()
        if breakdown is None:
            return None
        return sum(d.low for d in breakdown), sum(d.high for d in breakdown)


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
    url: Annotated[str, Field(max_length=300), AfterValidator(_reference_url)]


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
