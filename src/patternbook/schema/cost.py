"""The cost model of a pattern: the stated estimate, the workload it assumes, and each driver's
list price and billed quantity, from which Patternbook computes the bill (and the page's
calculator recomputes it). Every amount and product is bounded so every output stays finite
(PB606); :func:`format_amount` and :func:`rounded_amount` are the one way money is printed."""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from patternbook.schema.base import StrictModel
from patternbook.schema.dates import PlausibleDate
from patternbook.schema.fields import Paragraph, Sentence, reference_url
from patternbook.schema.text import short_text

__all__ = ["MAXIMUM_AMOUNT", "MAXIMUM_MEASURE", "MINIMUM_PER", "PERIOD_TO_MONTH", "Amount", "Cost", "CostDriver",
           "CostEstimate", "DriverCost", "Measure", "MonthlyCost", "Price", "Quantity", "WorkloadParameter",
           "format_amount", "rounded_amount"]

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


def _check_high_not_below_low(high: float, info: ValidationInfo) -> float:
    """A range's ``high`` may not sit below its ``low`` (the estimate's and each workload parameter's)."""
    low = info.data.get("low")
    if low is not None and high < low:
        raise PydanticCustomError("range", "high ({high}) is below low ({low})", {"high": high, "low": low})
    return high


class CostEstimate(StrictModel):
    low: Amount
    """The bill per ``period`` at the low end of the assumed workload."""
    high: Amount
    """The bill per ``period`` at the high end of the assumed workload."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    """ISO 4217 code of the amounts (``USD``); Patternbook never converts between currencies."""
    period: Literal["hour", "day", "month", "year"]
    """What the amounts are billed over; pages also show them per month to compare patterns."""
    as_of: PlausibleDate
    """The date the prices were read, so a reader knows how old the range is."""
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
    source: Annotated[str, Field(max_length=300), AfterValidator(reference_url)]
    """https address of the provider's pricing page, where a reader can check the amount."""
    as_of: PlausibleDate
    """The date the price was read from ``source``."""

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
    """The part of the pattern that incurs the charge (``DynamoDB state table``)."""
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
    """The stated range, with the assumptions a reader needs to redo the sum."""
    workload: list[WorkloadParameter] = Field(default_factory=list, max_length=12,
                                              exclude_if=lambda value: not value)
    """The parameters the estimate assumes; the calculator lets a reader change them."""
    drivers: list[CostDriver] = Field(min_length=1, max_length=12)
    """What dominates the bill, counting only what the pattern adds, not the workload it protects."""

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


def rounded_amount(value: float) -> str:
    """An estimate's bound for reading, without the currency: whole units from 10 up
    (``1,250``), cents below (``2.85``). Range summaries use it; a unit price, whose
    digits matter, goes through :func:`format_amount`."""
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.2f}"
