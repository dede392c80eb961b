"""What a pattern page and a comparison page show of the cost model: the computed
breakdown per driver, and the data the page's calculator recomputes it from.

The calculator (``assets/javascripts/patternbook.js``) reads
:func:`calculator_data` from a ``data-pb-cost-model`` attribute and applies the
same formula as :meth:`patternbook.schema.Cost.breakdown`, in the same order of
operations, so the numbers it shows for the low workload are the ones the static
table shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from patternbook.escaping import json_attribute
from patternbook.schema import (
    MAXIMUM_AMOUNT,
    MAXIMUM_MEASURE,
    PERIOD_TO_MONTH,
    Cost,
    CostDriver,
    Pattern,
    format_amount,
)

__all__ = ["CostComparison", "CostView", "compare_costs", "cost_view", "count_text", "exact_amount", "number_value",
           "price_text"]


def number_value(value: float) -> str:
    """A number as an ``<input type=number>`` value: no exponent, no trailing ``.0``."""
    if value == int(value):
        return str(int(value))
    return f"{value:.12f}".rstrip("0").rstrip(".")


def count_text(value: float) -> str:
    """A workload value for reading: ``50000000`` → ``50,000,000``, ``0.5`` → ``0.5``."""
    whole = number_value(value)
    if "." in whole:
        integer, fraction = whole.split(".")
        return f"{int(integer):,}.{fraction}"
    return f"{int(whole):,}"


@dataclass(frozen=True)
class DriverRow:
    driver: CostDriver
    price: str
    """``USD 0.40 per 1,000,000 requests``."""
    low: str
    high: str


@dataclass(frozen=True)
class CostView:
    currency: str
    period: str
    rows: tuple[DriverRow, ...]
    total_low: str
    total_high: str
    data: Markup
    """The calculator's input: JSON, escaped for a quoted HTML attribute."""


def exact_amount(value: float) -> str:
    """A list price as the provider writes it: every digit it has (``0.625``, ``0.0000166667``),
    at least two decimals (``0.40``), thousands separated. Rounding a price to cents would show
    ``0.62`` for DynamoDB's 0.625 per million writes."""
    text = f"{value:,.12f}".rstrip("0")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def price_text(driver: CostDriver) -> str:
    """``USD 0.40 per 1,000,000 requests``; a unit price below a cent keeps its digits."""
    price = driver.price
    assert price is not None
    per = f"{price.per:,.0f}" if price.per == int(price.per) else number_value(price.per)
    return f"{price.currency} {exact_amount(price.amount)} per {'' if price.per == 1 else per + ' '}{price.unit}"


def calculator_data(cost: Cost) -> dict[str, Any]:
    """The model the page's calculator recomputes from. ``limits`` are the bounds validation
    holds the pattern to; the calculator holds a reader's input to them too, so whatever a
    reader types it never shows NaN, Infinity or an amount no table here could show."""
    return {
        "currency": cost.estimate.currency,
        "period": cost.estimate.period,
        "workload": [parameter.id for parameter in cost.workload],
        "drivers": [{"amount": d.price.amount, "per": d.price.per, "fixed": d.quantity.fixed,
                     "per_workload": dict(d.quantity.per_workload)}
                    for d in cost.drivers if d.price is not None and d.quantity is not None],
        "limits": {"workload": MAXIMUM_MEASURE, "amount": MAXIMUM_AMOUNT},
    }


def cost_view(cost: Cost) -> CostView | None:
    """The breakdown a page shows, or ``None`` when the drivers are not (all) priced."""
    breakdown, computed = cost.breakdown(), cost.computed()
    if breakdown is None or computed is None:
        return None
    currency = cost.estimate.currency
    rows = tuple(DriverRow(driver, price_text(driver), format_amount(each.low, currency),
                           format_amount(each.high, currency))
                 for driver, each in zip(cost.drivers, breakdown, strict=True))
    return CostView(currency, cost.estimate.period, rows, format_amount(computed[0], currency),
                    format_amount(computed[1], currency), json_attribute(calculator_data(cost)))


@dataclass(frozen=True)
class CostComparison:
    """One column of a comparison's cost row: per month, in the pattern's own currency."""

    stated: str
    computed: str | None
    converted_from: str | None
    """The estimate's period when it is not a month (the row says it was converted)."""


def _range(low: float, high: float, currency: str) -> str:
    """``USD 1.00–40.00``: the currency once."""
    return f"{format_amount(low, currency)}–{format_amount(high, currency).removeprefix(currency + ' ')}"


def compare_costs(patterns: list[Pattern]) -> tuple[list[CostComparison], list[str]]:
    """Each pattern's cost per month, and the currencies involved (more than one:
    the page says so rather than convert at a rate nobody checked)."""
    columns = []
    for pattern in patterns:
        monthly = pattern.cost.per_month()
        computed = None
        if monthly.computed_low is not None and monthly.computed_high is not None:
            computed = _range(monthly.computed_low, monthly.computed_high, monthly.currency)
        columns.append(CostComparison(_range(monthly.low, monthly.high, monthly.currency), computed,
                                      None if monthly.period == "month" else monthly.period))
    currencies = sorted({p.cost.estimate.currency for p in patterns})
    return columns, currencies


#: Shown under a comparison that converted a period, so the factors are checkable.
PERIOD_NOTE = ("Converted to a month: an hourly amount × {hour:g} hours, a daily one × 365/12 days, "
               "a yearly one ÷ 12.").format(hour=PERIOD_TO_MONTH["hour"])
