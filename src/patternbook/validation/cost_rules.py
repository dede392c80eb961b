"""Cross-field rules of a pattern's cost model: prices, quantities and workload fit
together, every computed cost stays finite and within what a page shows (the schema
bounds each factor, this module their product), and a stated estimate agrees with
what its priced drivers compute.

The computation itself lives on :class:`~patternbook.schema.Cost` (pages need it
too); this module only decides what disagrees and where to say so.
"""

from __future__ import annotations

import math

from patternbook.errors import Diagnostic, Severity, field_path
from patternbook.loader import YamlDocument
from patternbook.schema import MAXIMUM_AMOUNT, Cost, did_you_mean, format_amount

__all__ = ["ABSOLUTE_TOLERANCE", "RELATIVE_TOLERANCE", "beyond_the_limit", "check_cost", "disagrees"]

#: A stated bound disagrees with the computed one when it is off by more than this
#: share of the computed value *and* by more than :data:`ABSOLUTE_TOLERANCE` units of
#: currency per estimate period. The share leaves room for rounding a range to
#: numbers a reader remembers; the absolute floor keeps a few cents of difference on
#: an almost free pattern from failing the build.
RELATIVE_TOLERANCE = 0.25
ABSOLUTE_TOLERANCE = 1.0


def disagrees(stated: float, computed: float) -> bool:
    difference = abs(stated - computed)
    return difference > ABSOLUTE_TOLERANCE and difference > RELATIVE_TOLERANCE * computed


def beyond_the_limit(value: float) -> bool:
    """Whether a computed cost is one no page can show: not finite, or above
    :data:`~patternbook.schema.MAXIMUM_AMOUNT` per estimate period."""
    return not math.isfinite(value) or value > MAXIMUM_AMOUNT


def _magnitude(value: float, currency: str) -> str:
    """A cost too large for :func:`format_amount` to print in full, to the digits that matter."""
    return f"{currency} {value:.3g}" if math.isfinite(value) else f"an amount that is not finite ({value})"


def check_cost(cost: Cost, document: YamlDocument) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    shown = document.shown_as
    base = ("cost",)

    def problem(path: tuple, code: str, message: str, *, hint: str = "", key: bool = False,
                severity: Severity = Severity.ERROR) -> None:
        line, column = document.position_of(path, key=key)
        problems.append(Diagnostic(shown, line, column, code, message, field=field_path(path),
                                   severity=severity, hint=hint))

    parameters: dict[str, int] = {}
    for index, parameter in enumerate(cost.workload):
        if parameter.id in parameters:
            problem((*base, "workload", index, "id"), "PB207", f"workload id '{parameter.id}' is used twice")
        parameters.setdefault(parameter.id, index)

    currency = cost.estimate.currency
    used: set[str] = set()
    priced = [d.price is not None for d in cost.drivers]
    for index, driver in enumerate(cost.drivers):
        path = (*base, "drivers", index)
        if driver.price is not None and driver.quantity is None:
            problem((*path, "price"), "PB602", "a priced driver needs a 'quantity': the units billed per "
                    f"{cost.estimate.period}", hint="write quantity: {fixed: N} and/or {per_workload: {id: N}}")
        if driver.price is None and driver.quantity is not None:
            problem((*path, "quantity"), "PB602", "a 'quantity' without a 'price' computes nothing",
                    hint="add the provider's price, or remove the quantity")
        if driver.price is None and driver.quantity is None and any(priced):
            first = priced.index(True)
            problem(path, "PB602", f"cost.drivers[{first}] is priced, so every driver needs a price and a "
                    "quantity (the computed total must be the whole bill)",
                    hint="price a free or negligible item at amount 0 with its unit and source")
        if driver.price is not None and driver.price.currency != currency:
            problem((*path, "price", "currency"), "PB605",
                    f"price is in {driver.price.currency}, the estimate in {currency}",
                    hint=f"use the provider's {currency} price; Patternbook does not convert currencies")
        if driver.quantity is not None:
            for name in driver.quantity.per_workload:
                used.add(name)
                if name not in parameters:
                    problem((*path, "quantity", "per_workload", name), "PB603",
                            f"'{name}' is not a workload parameter of this pattern", key=True,
                            hint=did_you_mean(name, list(parameters)) or "declare it under cost.workload")

    for name, index in parameters.items():
        if name not in used:
            problem((*base, "workload", index, "id"), "PB604",
                    f"workload parameter '{name}' is used by no driver's quantity",
                    severity=Severity.WARNING, hint="use it in a quantity.per_workload, or remove it")

    if problems and any(d.is_error for d in problems):
        return problems  # a total computed from an inconsistent model would only add noise
    computed = cost.computed()
    if computed is None:
        return problems
    breakdown = cost.breakdown() or []
    # Every driver's cost grows with each workload value, so the high values bound every workload
    # inside the ranges; the low ones are checked too, since a NaN is neither above nor below.
    period = cost.estimate.period
    limit = f"more than the largest amount Patternbook handles ({format_amount(MAXIMUM_AMOUNT, currency)} per {period})"
    hint = ("driver cost = price.amount / price.per × quantity at the workload's values; check that price.per "
            "counts the units the amount buys and that each quantity is in those units")
    for index, each in enumerate(breakdown):
        bound = next((b for b in ("high", "low") if beyond_the_limit(getattr(each, b))), None)
        if bound is not None:
            problem((*base, "drivers", index), "PB606",
                    f"this driver ({each.component}: {each.dimension}) computes "
                    f"{_magnitude(getattr(each, bound), currency)} per {period} at the workload's {bound} values, "
                    f"{limit}", hint=hint)
    total_bound = next((b for b, value in (("high", computed[1]), ("low", computed[0])) if beyond_the_limit(value)),
                       None)
    if total_bound is not None and not any(d.code == "PB606" for d in problems):
        problem((*base, "drivers"), "PB606",
                f"the drivers together compute {_magnitude(computed[1 if total_bound == 'high' else 0], currency)} "
                f"per {period} at the workload's {total_bound} values, {limit}", key=True, hint=hint)
    if any(d.code == "PB606" for d in problems):
        return problems  # PB601 would compare the estimate with a number no page can show
    for bound, value in zip(("low", "high"), computed, strict=True):
        stated = getattr(cost.estimate, bound)
        if not disagrees(stated, value):
            continue
        per_driver = "; ".join(
            f"{d.component} ({d.dimension}): {format_amount(getattr(d, bound), currency)}" for d in breakdown)
        problem((*base, "estimate", bound), "PB601",
                f"states {format_amount(stated, currency)} per {cost.estimate.period}, but the priced drivers "
                f"compute {format_amount(value, currency)} at the workload's {bound} values "
                f"(tolerance: {RELATIVE_TOLERANCE:.0%} and {format_amount(ABSOLUTE_TOLERANCE, currency)})",
                hint=f"per driver: {per_driver}")
    return problems
