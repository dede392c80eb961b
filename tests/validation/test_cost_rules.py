"""The cost rules beyond the fixture cases: where the tolerance lies, and that an
unused workload parameter is a warning a pattern still publishes with."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patternbook.schema import format_amount
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
