"""Whatever numbers a cost model holds, validation either refuses them with positioned
diagnostics or every output shows them: the page (static table and calculator data),
the comparison row, the Markdown and the strict JSON twin, with no exception and no
``NaN``, ``Infinity`` or exponent anywhere a reader or a JSON parser meets them."""

from __future__ import annotations

import copy
import datetime
import html
import json
import math
import re
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from patternbook.catalogue import Catalogue
from patternbook.escaping import strict_json
from patternbook.loader import load_bundle, load_catalogue_source
from patternbook.pages import SiteOptions, plan_site
from patternbook.pages.agent_documents import pattern_document, pattern_markdown
from patternbook.pages.cost import compare_costs, cost_view
from patternbook.schema import MAXIMUM_AMOUNT, MAXIMUM_MEASURE, MINIMUM_PER, Cost
from patternbook.validation import validate_bundle, validate_catalogue_file
from tests.conftest import FIXED_TODAY, FIXTURE_CATALOGUE, PROJECT
from tests.validation.test_cases import CASES

BUNDLE = load_bundle(CASES / "positive" / "priced-cost-model")
DEFINITIONS, _ = validate_catalogue_file(load_catalogue_source(FIXTURE_CATALOGUE).document)
OPTIONS = SiteOptions(datetime.date.fromisoformat(FIXED_TODAY))
DRIVERS = len(BUNDLE.pattern.data["cost"]["drivers"])

#: Each field's admissible range, its edges and values near them drawn often.
AMOUNTS = st.one_of(st.sampled_from([0, 5e-324, 0.0000166667, 0.4, 1, 1e6, MAXIMUM_AMOUNT]),
                    st.floats(0, 1), st.floats(0, MAXIMUM_AMOUNT))
PERS = st.one_of(st.sampled_from([MINIMUM_PER, 1, 1e6, MAXIMUM_MEASURE]), st.floats(MINIMUM_PER, 1),
                 st.floats(MINIMUM_PER, MAXIMUM_MEASURE))
MEASURES = st.one_of(st.sampled_from([0, 5e-324, 0.0128, 1, 3, 730, 5e7, MAXIMUM_MEASURE]), st.floats(0, 1e4),
                     st.floats(0, MAXIMUM_MEASURE))
#: What lies just past the bounds, then anything at all: one such value goes into one field.
OUTSIDE = st.one_of(st.sampled_from([1e-300, MINIMUM_PER / 2, MAXIMUM_AMOUNT * 2, MAXIMUM_MEASURE * 2, 1e300,
                                     math.inf, -math.inf, math.nan, -1, -0.0]), st.floats())
FIELDS = ("amount", "per", "fixed", "per_workload", "low", "high")
#: A number shown to a reader that no reader should meet.
NOT_A_NUMBER = re.compile(r"\b(?:nan|-?inf(?:inity)?)\b|\d[eE][+-]?\d", re.IGNORECASE)


def _with(numbers: dict[str, Any], period: str) -> dict[str, Any]:
    """The priced fixture's data with the drawn numbers in every numeric field of its cost model,
    and a stated estimate that agrees with what they compute wherever a stated amount can."""
    data = copy.deepcopy(BUNDLE.pattern.data)
    cost = data["cost"]
    cost["estimate"]["period"] = period
    cost["workload"][0]["low"], cost["workload"][0]["high"] = numbers["low"], numbers["high"]
    for index, driver in enumerate(cost["drivers"]):
        driver["price"]["amount"], driver["price"]["per"] = numbers["amount"][index], numbers["per"][index]
        driver["quantity"] = {"fixed": numbers["fixed"][index],
                              "per_workload": {"messages": numbers["per_workload"][index]}}
    try:
        computed = Cost.model_validate(cost).computed()
    except ValidationError:
        return data
    if computed is not None and all(math.isfinite(v) and 0 <= v <= MAXIMUM_AMOUNT for v in computed):
        cost["estimate"]["low"], cost["estimate"]["high"] = computed
    return data


def _assert_no_odd_number(text: str, where: str) -> None:
    found = NOT_A_NUMBER.search(text)
    assert found is None, f"{where}: {text[max(0, found.start() - 80):found.end() + 40]!r}"


def _strict(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON")

    return json.loads(text, parse_constant=refuse)


def _check_outputs(data: dict[str, Any]) -> set[str]:
    """Validate; when valid, render and dump every output that shows the cost. The codes of the errors."""
    bundle = copy.copy(BUNDLE)
    bundle.pattern = copy.copy(BUNDLE.pattern)
    bundle.pattern.data = data
    pattern, diagnostics = validate_bundle(bundle, None)
    if pattern is None:
        assert diagnostics and all(d.line >= 1 and d.column >= 1 for d in diagnostics if d.is_error)
        return {d.code for d in diagnostics if d.is_error}
    view = cost_view(pattern.cost)
    assert view is not None
    shown = [view.total_low, view.total_high, *(cell for row in view.rows for cell in (row.price, row.low, row.high))]
    _assert_no_odd_number(" ".join(shown), "cost table")
    _strict(html.unescape(str(view.data)))  # JSON numbers may have exponents: JavaScript reads them
    columns, _ = compare_costs([pattern])
    _assert_no_odd_number(" ".join(f"{c.stated} {c.computed}" for c in columns), "comparison")
    _strict(strict_json(pattern_document(pattern)))  # JSON numbers may have exponents: every parser reads them
    catalogue = Catalogue.from_models(DEFINITIONS, {pattern.slug: pattern})
    _assert_no_odd_number(pattern_markdown(pattern, catalogue).split("## Cost", 1)[1].split("## Operations")[0],
                          "Markdown twin")
    page = next(p.content for p in plan_site(catalogue, PROJECT / "templates", OPTIONS).pages
                if p.path == f"patterns/{pattern.slug}.md")
    section = page.split("## Cost", 1)[1].split("## Operations")[0]
    _assert_no_odd_number(re.sub(r'data-pb-cost-model="[^"]*"', "", section), "page")
    return set()


def _drivers(numbers: st.SearchStrategy[float]) -> st.SearchStrategy[list[float]]:
    return st.lists(numbers, min_size=DRIVERS, max_size=DRIVERS)


def _fixture_numbers(**changes: Any) -> dict[str, Any]:
    """The priced fixture's own numbers, with ``changes``."""
    return {"amount": [0.4, 0.2, 0.0000166667, 0.1], "per": [1e6, 1e6, 1, 1], "fixed": [0, 0, 0, 2],
            "per_workload": [3, 1, 0.0128, 0], "low": 1e6, "high": 5e7, **changes}


@st.composite
def cost_numbers(draw: st.DrawFn) -> dict[str, Any]:
    """Every number of the priced fixture's cost model, within range, and sometimes one outside."""
    low, high = sorted(draw(st.tuples(MEASURES, MEASURES)))
    numbers = {"amount": draw(_drivers(AMOUNTS)), "per": draw(_drivers(PERS)), "fixed": draw(_drivers(MEASURES)),
               "per_workload": draw(_drivers(MEASURES)), "low": low, "high": high}
    if draw(st.booleans()):
        field, value = draw(st.sampled_from(FIELDS)), draw(OUTSIDE)
        if isinstance(numbers[field], list):
            numbers[field][draw(st.integers(0, DRIVERS - 1))] = value
        else:
            numbers[field] = value
    return numbers


@settings(max_examples=200, deadline=None, derandomize=True)
@given(numbers=cost_numbers(), period=st.sampled_from(["hour", "day", "month", "year"]))
# The three reports: a per of 1e-300; 1e12 a unit times 1e15 units; infinity (1e12 / 1e-300) times 0.
@example(numbers=_fixture_numbers(per=[1e-300, 1e6, 1, 1]), period="month")
@example(numbers=_fixture_numbers(amount=[0.4, 0.2, 0.0000166667, MAXIMUM_AMOUNT], fixed=[0, 0, 0, MAXIMUM_MEASURE]),
         period="month")
@example(numbers=_fixture_numbers(amount=[0.4, 0.2, 0.0000166667, MAXIMUM_AMOUNT], per=[1e6, 1e6, 1, 1e-300],
                                  fixed=[0] * 4), period="month")
# Everything at its bound at once: the schema admits it, PB606 must bound it.
@example(numbers={"amount": [MAXIMUM_AMOUNT] * 4, "per": [MINIMUM_PER] * 4, "fixed": [MAXIMUM_MEASURE] * 4,
                  "per_workload": [MAXIMUM_MEASURE] * 4, "low": MAXIMUM_MEASURE, "high": MAXIMUM_MEASURE},
         period="hour")
def test_any_cost_model_that_validates_renders_and_dumps_strict_json(numbers: dict[str, Any], period: str) -> None:
    refused = _check_outputs(_with(numbers, period))
    event(f"refused: {', '.join(sorted(refused))}" if refused else "validated")


@pytest.mark.parametrize("period", ["hour", "month"])
def test_the_largest_cost_validation_admits_is_shown_in_full(period: str) -> None:
    """The total exactly at the limit (per hour: 730 times that on the comparison, per month)."""
    at_the_limit = _fixture_numbers(amount=[MAXIMUM_AMOUNT / 4] * 4, per=[1] * 4, fixed=[1] * 4, per_workload=[0] * 4)
    assert _check_outputs(_with(at_the_limit, period)) == set()
    just_over = _fixture_numbers(amount=[MAXIMUM_AMOUNT / 4] * 4, per=[1] * 4, fixed=[1] * 3 + [1.0001],
                                 per_workload=[0] * 4)
    assert _check_outputs(_with(just_over, period)) == {"PB606"}
