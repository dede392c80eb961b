"""Cross-field rules of a pattern's cost model: prices, quantities and workload fit
together, and a stated estimate agrees with what its priced drivers compute.

The computation itself lives on :class:`~patternbook.schema.Cost` (pages need it
too); this module only decides what disagrees and where to say so.
"""

from __future__ import annotations

from patternbook.errors import Diagnostic, Severity, field_path
from patternbook.loader import YamlDocument
from patternbook.schema import Cost, did_you_mean, format_amount

__all__ = ["ABSOLUTE_TOLERANCE", "RELATIVE_TOLERANCE", "check_cost", "disagrees"]

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
