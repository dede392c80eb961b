"""The cost model's arithmetic: each driver's cost per estimate period is
``amount / per × (fixed + Σ coefficient × workload value)``, and the total is
their sum — only when every driver is priced."""

from __future__ import annotations

import math

import pytest
import yaml
from pydantic import ValidationError

from patternbook.schema import (
    MAXIMUM_AMOUNT,
    MAXIMUM_MEASURE,
    MINIMUM_PER,
    PERIOD_TO_MONTH,
    Cost,
    Price,
    Quantity,
    WorkloadParameter,
    format_amount,
)
from tests.validation.test_cases import CASES

PRICED = CASES / "positive" / "priced-cost-model" / "pattern.yaml"


def _cost(**changes: object) -> Cost:
    data = yaml.safe_load(PRICED.read_text())["cost"]
    data.update(changes)
    return Cost.model_validate(data)


def test_the_priced_fixture_computes_each_driver_from_price_and_quantity() -> None:
    cost = _cost()
    breakdown = cost.breakdown()
    assert breakdown is not None
    # Worked by hand from the fixture's YAML: 1 and 50 million messages a month.
    expected = [
        (0.40 / 1e6 * 3 * 1e6, 0.40 / 1e6 * 3 * 50e6),  # three queue requests per message
        (0.20 / 1e6 * 1e6, 0.20 / 1e6 * 50e6),  # one invocation per message
        (0.0000166667 * 0.0128 * 1e6, 0.0000166667 * 0.0128 * 50e6),  # 100 ms at 128 MB
        (0.10 * 2, 0.10 * 2),  # two alarms, whatever the traffic
    ]
    assert [(d.low, d.high) for d in breakdown] == [pytest.approx(pair) for pair in expected]
    low, high = cost.computed() or (0, 0)
    assert low == pytest.approx(sum(e[0] for e in expected))
    assert high == pytest.approx(sum(e[1] for e in expected))
    assert round(low, 2) == 1.81 and round(high, 2) == 80.87


def test_a_pattern_without_prices_has_no_computed_cost() -> None:
    data = yaml.safe_load(PRICED.read_text())["cost"]
    for driver in data["drivers"]:
        driver.pop("price"), driver.pop("quantity")
    cost = Cost.model_validate({**data, "workload": []})
    assert not cost.priced and cost.breakdown() is None and cost.computed() is None


def test_one_unpriced_driver_means_no_total() -> None:
    data = yaml.safe_load(PRICED.read_text())["cost"]
    data["drivers"][0].pop("price")
    assert Cost.model_validate(data).computed() is None


def test_quantity_terms_add_up_and_unknown_ids_count_as_zero() -> None:
    quantity = Quantity(fixed=730, per_workload={"gb": 2, "requests": 0.5})
    assert quantity.at({"gb": 10, "requests": 100}) == 730 + 20 + 50
    assert quantity.at({}) == 730


def test_price_per_defaults_to_one_unit() -> None:
    price = Price(amount=0.023, currency="USD", unit="GB-months", source="https://aws.amazon.com/s3/pricing/",
                  as_of="2026-10-01")
    assert price.per == 1 and price.unit_price == 0.023


@pytest.mark.parametrize("field, value", [("per", 0), ("per", 1.0e-300), ("per", MINIMUM_PER / 2), ("per", -1),
                                          ("amount", -1), ("currency", "usd"),
                                          ("source", "http://aws.amazon.com/s3/pricing/"),
                                          ("amount", float("inf"))])
def test_a_price_refuses_impossible_values(field: str, value: object) -> None:
    data = {"amount": 1, "currency": "USD", "unit": "GB-months", "source": "https://aws.amazon.com/s3/pricing/",
            "as_of": "2026-10-01", field: value}
    with pytest.raises(ValidationError):
        Price.model_validate(data)


@pytest.mark.parametrize("changes", [{"id": "Bad-Id"}, {"low": -1}, {"high": 0.5, "low": 1}, {"unit": ""}])
def test_a_workload_parameter_refuses_impossible_values(changes: dict) -> None:
    data = {"id": "requests", "label": "Requests", "unit": "requests per month", "low": 1, "high": 2, **changes}
    with pytest.raises(ValidationError):
        WorkloadParameter.model_validate(data)


def test_period_factors_are_periods_per_month() -> None:
    assert PERIOD_TO_MONTH["hour"] == 730.0 and PERIOD_TO_MONTH["month"] == 1.0
    assert PERIOD_TO_MONTH["day"] == pytest.approx(30.4167, abs=1e-4)
    assert PERIOD_TO_MONTH["year"] * 12 == pytest.approx(1)


@pytest.mark.parametrize("period, factor", [("hour", 730), ("day", 365 / 12), ("month", 1), ("year", 1 / 12)])
def test_per_month_converts_stated_and_computed_ranges_by_the_period(period: str, factor: float) -> None:
    data = yaml.safe_load(PRICED.read_text())["cost"]
    data["estimate"]["period"] = period
    monthly = Cost.model_validate(data).per_month()
    computed = _cost().computed() or (0, 0)
    assert (monthly.currency, monthly.period) == ("USD", period)
    assert (monthly.low, monthly.high) == pytest.approx((2 * factor, 80 * factor))
    assert (monthly.computed_low, monthly.computed_high) == pytest.approx((computed[0] * factor, computed[1] * factor))


def test_an_unpriced_pattern_dumps_as_before() -> None:
    """catalogue.json and the change feed compare dumps: a pattern without prices
    must not grow empty cost-model keys."""
    data = yaml.safe_load(PRICED.read_text())["cost"]
    for driver in data["drivers"]:
        driver.pop("price"), driver.pop("quantity")
    dumped = Cost.model_validate({**data, "workload": []}).model_dump(mode="json")
    assert set(dumped) == {"estimate", "drivers"}
    assert all(set(driver) == {"component", "dimension", "scaling"} for driver in dumped["drivers"])
    priced = _cost().model_dump(mode="json")
    assert priced["workload"][0]["id"] == "messages" and priced["drivers"][0]["price"]["per"] == 1_000_000


def test_the_smallest_per_is_accepted() -> None:
    price = Price(amount=1, currency="USD", per=MINIMUM_PER, unit="GB-months",
                  source="https://aws.amazon.com/s3/pricing/", as_of="2026-10-01")
    assert price.unit_price == 1 / MINIMUM_PER


def _extreme_cost(amount: float, per: float, measure: float) -> Cost:
    """Twelve drivers, twelve workload parameters, every number at the value given."""
    data = yaml.safe_load(PRICED.read_text())["cost"]
    ids = [f"p{index}" for index in range(12)]
    data["workload"] = [{"id": name, "label": name, "unit": "units", "low": measure, "high": measure}
                        for name in ids]
    template = data["drivers"][0]
    data["drivers"] = [{**template, "price": {**template["price"], "amount": amount, "per": per},
                        "quantity": {"fixed": measure, "per_workload": dict.fromkeys(ids, measure)}}
                       for _ in range(12)]
    return Cost.model_validate(data)


def test_every_product_the_schema_admits_is_finite() -> None:
    """The schema bounds each factor so that the product cannot overflow: the largest
    amount over the smallest ``per`` times the largest quantity at the largest workload,
    twelve times over, is still a finite number (PB606 then bounds it)."""
    largest = _extreme_cost(MAXIMUM_AMOUNT, MINIMUM_PER, MAXIMUM_MEASURE)
    breakdown, computed = largest.breakdown() or [], largest.computed() or (math.inf, math.inf)
    assert all(math.isfinite(d.high) for d in breakdown) and all(math.isfinite(v) for v in computed)
    # The largest unit price times nothing is nothing, not NaN (infinity × 0 was NaN).
    assert _extreme_cost(MAXIMUM_AMOUNT, MINIMUM_PER, 0).computed() == (0.0, 0.0)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_format_amount_refuses_what_is_not_an_amount(value: float) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        format_amount(value, "USD")


def test_format_amount_prints_every_digit_of_a_large_amount() -> None:
    """The default decimal context holds 28 digits; quantizing a larger amount raised InvalidOperation."""
    assert format_amount(MAXIMUM_AMOUNT * PERIOD_TO_MONTH["hour"], "USD") == "USD 730,000,000,000,000.00"
    assert format_amount(1e30, "USD") == "USD 1,000,000,000,000,000,019,884,624,838,656.00"
