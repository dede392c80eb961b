"""The cost rules beyond the fixture cases: where the tolerance lies, and that an
unused workload parameter is a warning a pattern still publishes with."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patternbook.schema import MAXIMUM_AMOUNT, format_amount
from patternbook.validation import validate_paths
from patternbook.validation.cost_rules import ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE, disagrees
from tests.validation.test_cases import CASES, TODAY

PRICED = CASES / "positive" / "priced-cost-model"


@pytest.mark.parametrize("stated, computed, off", [
    (80, 80.87, False),
    (100, 80.87, False),  # 24 % over
    (102, 80.87, True),  # 26 % over
    (60, 80.87, True),  # 26 % under
    (2, 1.81, False),
    (2.5, 1.0, True),  # 150 % and 1.50 off
    (1.9, 1.0, False),  # 90 % but only 0.90 off: below the absolute floor
    (0.5, 0.0, False),
    (1.5, 0.0, True),  # stated cost where nothing is computed
])
def test_tolerance_needs_both_the_share_and_the_absolute_floor(stated: float, computed: float, off: bool) -> None:
    assert RELATIVE_TOLERANCE == 0.25 and ABSOLUTE_TOLERANCE == 1.0
    assert disagrees(stated, computed) is off


def test_amounts_keep_small_unit_prices_readable() -> None:
    assert format_amount(1234.5, "EUR") == "EUR 1,234.50"
    assert format_amount(0.0004, "USD") == "USD 0.0004"
    assert format_amount(0, "USD") == "USD 0.00"
    # Rounded as JavaScript's toFixed rounds (the calculator): the exact binary value, ties up.
    assert format_amount(126.675, "USD") == "USD 126.67"  # 126.674999… in binary
    assert format_amount(0.125, "USD") == "USD 0.13"  # an exact tie; Python's format would say 0.12
    assert format_amount(1.005, "USD") == "USD 1.00"


def _install(catalogue: Path, text_change: tuple[str, str]) -> Path:
    bundle = catalogue / "priced-cost-model"
    shutil.copytree(PRICED, bundle)
    pattern = bundle / "pattern.yaml"
    old, new = text_change
    assert old in pattern.read_text()
    pattern.write_text(pattern.read_text().replace(old, new, 1))
    return bundle


def test_an_unused_workload_parameter_is_a_warning_at_its_id(catalogue_dir: Path) -> None:
    bundle = _install(catalogue_dir, ("      high: 50000000\n", "      high: 50000000\n"
                                      "    - id: regions\n      label: Regions\n      unit: regions\n"
                                      "      low: 1\n      high: 3\n"))
    report = validate_paths([bundle], today=TODAY)
    found = [(d.code, d.field, d.is_error) for d in report.diagnostics]
    assert found == [("PB604", "cost.workload[1].id", False)]
    assert "priced-cost-model" in report.patterns
    line = (bundle / "pattern.yaml").read_text().splitlines().index("    - id: regions") + 1
    assert report.diagnostics[0].line == line
    strict = validate_paths([bundle], today=TODAY, strict=True)
    assert [d.code for d in strict.errors] == ["PB604"]


def test_the_estimate_is_checked_in_its_own_period(catalogue_dir: Path) -> None:
    """Quantities are per estimate period: the same numbers stated per year still agree;
    no conversion is applied behind the author's back."""
    bundle = _install(catalogue_dir, ("    period: month\n", "    period: year\n"))
    assert validate_paths([bundle], today=TODAY).ok


def test_pricing_a_driver_at_zero_keeps_the_total_whole(catalogue_dir: Path) -> None:
    bundle = _install(catalogue_dir, ("        amount: 0.10\n", "        amount: 0\n"))
    report = validate_paths([bundle], today=TODAY)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert report.patterns["priced-cost-model"].cost.computed() == pytest.approx((1.613, 80.667), abs=1e-3)


def _validate_with(catalogue: Path, *changes: tuple[str, str]) -> tuple[Path, list]:
    bundle = _install(catalogue, changes[0])
    pattern = bundle / "pattern.yaml"
    for old, new in changes[1:]:
        assert old in pattern.read_text(), old
        pattern.write_text(pattern.read_text().replace(old, new, 1))
    return pattern, validate_paths([bundle], today=TODAY).diagnostics


def _line_of(pattern: Path, text: str) -> int:
    return pattern.read_text().splitlines().index(text) + 1


ALARM_PRICE = ("        amount: 0.10\n        currency: USD\n        unit: alarm-month",
               "        amount: 1000000000000\n        currency: USD\n        unit: alarm-month")
ALARM_COUNT = ("        fixed: 2\n", "        fixed: 1000000000000000\n")


@pytest.mark.parametrize("per", ["1.0e-300", "0.0000001", "0", "-1"])
def test_a_degenerate_per_is_refused_at_its_position(catalogue_dir: Path, per: str) -> None:
    """``per: 1.0e-300`` made the unit price overflow; the build died in decimal.InvalidOperation."""
    pattern, diagnostics = _validate_with(catalogue_dir, ("        per: 1000000\n", f"        per: {per}\n"))
    assert [(d.code, d.field) for d in diagnostics if d.is_error] == [("PB207", "cost.drivers[0].price.per")]
    assert (diagnostics[0].line, diagnostics[0].column) == (_line_of(pattern, f"        per: {per}"), 14)
    assert "0.000001" in diagnostics[0].message


def test_the_largest_price_over_the_smallest_per_times_nothing_is_refused_not_nan(catalogue_dir: Path) -> None:
    """Infinity × 0 was NaN: the page said "USD NaN" and the .json twin held NaN."""
    tiny_per = ("        unit: alarm-month\n", "        per: 1.0e-300\n        unit: alarm-month\n")
    _, diagnostics = _validate_with(catalogue_dir, ALARM_PRICE, ("        fixed: 2\n", "        fixed: 0\n"), tiny_per)
    assert [(d.code, d.field) for d in diagnostics if d.is_error] == [("PB207", "cost.drivers[3].price.per")]


def test_a_driver_whose_product_exceeds_the_limit_is_refused_at_the_driver(catalogue_dir: Path) -> None:
    """1e12 per unit times 1e15 units: each factor within its maximum, the product 1e27;
    ``validate`` exited 3 with a traceback."""
    pattern, diagnostics = _validate_with(catalogue_dir, ALARM_PRICE, ALARM_COUNT)
    assert [(d.code, d.field) for d in diagnostics] == [("PB606", "cost.drivers[3]")]
    (found,) = diagnostics
    assert (found.line, found.column) == (_line_of(pattern, "    - component: Queue age alarm"), 7)
    assert "USD 1e+27 per month at the workload's high values" in found.message
    assert f"({format_amount(MAXIMUM_AMOUNT, 'USD')} per month)" in found.message
    assert "price.per" in found.hint and "quantity" in found.hint


def test_the_high_end_of_every_workload_range_keeps_the_product_bounded(catalogue_dir: Path) -> None:
    """Low workload cheap, high workload beyond the limit: the range's maximum is what counts."""
    _, diagnostics = _validate_with(catalogue_dir, ("      high: 50000000\n", "      high: 1000000000000000\n"),
                                    ("          messages: 3\n", "          messages: 10000\n"))
    assert [(d.code, d.field) for d in diagnostics] == [("PB606", "cost.drivers[0]")]
    assert "USD 4e+12 per month at the workload's high values" in diagnostics[0].message


def test_drivers_each_within_the_limit_may_not_exceed_it_together(catalogue_dir: Path) -> None:
    pattern, diagnostics = _validate_with(
        catalogue_dir, ("        amount: 0.40\n", "        amount: 2000000000\n"),  # 3e11 at 50 million messages
        ("        amount: 0.10\n        currency: USD\n        unit: alarm-month",
         "        amount: 400000000000\n        currency: USD\n        unit: alarm-month"))  # 8e11 for two alarms
    assert [(d.code, d.field) for d in diagnostics] == [("PB606", "cost.drivers")]
    assert (diagnostics[0].line, diagnostics[0].column) == (_line_of(pattern, "  drivers:"), 3)
    assert diagnostics[0].message.startswith("the drivers together compute USD 1.1e+12 per month at the workload's")


def test_validate_reports_an_overflowing_cost_and_exits_1(catalogue_dir: Path, capsys: pytest.CaptureFixture) -> None:
    from patternbook.cli import main

    _validate_with(catalogue_dir, ALARM_PRICE, ALARM_COUNT)
    assert main(["validate", str(catalogue_dir), "--today", TODAY.isoformat()]) == 1
    assert "PB606" in capsys.readouterr().out
