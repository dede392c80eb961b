"""What the pages show of the cost model: a priced pattern's breakdown and calculator
(golden Markdown), an unpriced pattern's page unchanged, and comparison pages that
put costs per month side by side without converting currencies."""

from __future__ import annotations

import datetime
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from patternbook.catalogue import Catalogue
from patternbook.pages import SiteOptions, plan_site
from patternbook.pages.cost import count_text, exact_amount, number_value
from patternbook.schema import MAXIMUM_AMOUNT, MAXIMUM_MEASURE
from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY, PROJECT, compare_golden

GOLDEN = Path(__file__).parent / "golden"
CASES = Path(__file__).parents[1] / "validation" / "cases"
PRICED = "priced-cost-model"


def _catalogue(catalogue_dir: Path, edits: dict[str, list[tuple[str, str]]] | None = None) -> Catalogue:
    for case in ("minimal-valid", PRICED):
        shutil.copytree(CASES / "positive" / case, catalogue_dir / case)
    for slug, changes in (edits or {}).items():
        document = catalogue_dir / slug / "pattern.yaml"
        text = document.read_text()
        for old, new in changes:
            assert old in text, old
            text = text.replace(old, new, 1)
        document.write_text(text)
    report = validate_paths([catalogue_dir], today=datetime.date.fromisoformat(FIXED_TODAY))
    assert report.ok, [d.format() for d in report.errors]
    return Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)


def _pages(catalogue: Catalogue) -> dict[str, str]:
    options = SiteOptions(datetime.date.fromisoformat(FIXED_TODAY), "https://example.test/edit/{slug}")
    return {page.path: page.content for page in plan_site(catalogue, PROJECT / "templates", options).pages}


class _Calculator(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.model: object = None
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if "data-pb-cost-model" in attributes:
            self.model = json.loads(attributes["data-pb-cost-model"] or "")
        if tag == "input":
            self.inputs.append(attributes)


def test_priced_pattern_page_matches_golden(catalogue_dir: Path, update_goldens: bool) -> None:
    pages = _pages(_catalogue(catalogue_dir))
    page = pages[f"patterns/{PRICED}.md"]
    compare_golden(page, GOLDEN / f"{PRICED}.md", update_goldens)
    assert "Computed cost per month" not in pages["patterns/minimal-valid.md"]
    assert "data-pb-calculator" not in pages["patterns/minimal-valid.md"]


def test_calculator_data_is_the_model_and_inputs_are_labelled_and_prefilled(catalogue_dir: Path) -> None:
    catalogue = _catalogue(catalogue_dir)
    pattern = catalogue.patterns[PRICED]
    parser = _Calculator()
    parser.feed(_pages(catalogue)[f"patterns/{PRICED}.md"])
    assert parser.model == {
        "currency": "USD", "period": "month", "workload": ["messages"],
        "drivers": [{"amount": d.price.amount, "per": d.price.per, "fixed": d.quantity.fixed,
                     "per_workload": dict(d.quantity.per_workload)} for d in pattern.cost.drivers],
        "limits": {"workload": MAXIMUM_MEASURE, "amount": MAXIMUM_AMOUNT},
    }
    assert [(i["id"], i["name"], i["value"], i["data-high"]) for i in parser.inputs] == [
        ("pb-workload-messages", "messages", "1000000", "50000000")]
    assert '<label for="pb-workload-messages">Messages enqueued' in _pages(catalogue)[f"patterns/{PRICED}.md"]


@pytest.mark.parametrize("value, shown, typed", [(50000000.0, "50,000,000", "50000000"), (0.5, "0.5", "0.5"),
                                                 (1234.25, "1,234.25", "1234.25"), (1e-05, "0.00001", "0.00001")])
def test_workload_numbers_read_plainly_and_type_back(value: float, shown: str, typed: str) -> None:
    assert count_text(value) == shown and number_value(value) == typed


@pytest.mark.parametrize("amount, shown", [(0.625, "0.625"), (0.4, "0.40"), (0.0000166667, "0.0000166667"),
                                           (1234.5, "1,234.50"), (0, "0.00"), (12, "12.00")])
def test_list_prices_keep_every_digit_the_provider_wrote(amount: float, shown: str) -> None:
    assert exact_amount(amount) == shown


ALTERNATIVES = {
    PRICED: [("  - type: requires\n    pattern: neighbour-pattern",
              "  - type: requires\n    pattern: neighbour-pattern\n"
              "  - type: alternative_to\n    pattern: minimal-valid")],
    "minimal-valid": [("  - type: complements\n    pattern: neighbour-pattern",
                       "  - type: complements\n    pattern: neighbour-pattern\n"
                       f"  - type: alternative_to\n    pattern: {PRICED}")],
}


def _comparison(pages: dict[str, str]) -> str:
    (path,) = [p for p in pages if p.startswith("compare/") and PRICED in p]
    return pages[path]


def test_comparison_shows_costs_per_month_and_the_computed_range(catalogue_dir: Path, update_goldens: bool) -> None:
    page = _comparison(_pages(_catalogue(catalogue_dir, ALTERNATIVES)))
    compare_golden(page, GOLDEN / "compare-priced.md", update_goldens)
    row = next(line for line in page.splitlines() if "Cost per month" in line)
    assert "USD 2.00–80.00 stated; USD 1.81–80.87 computed from priced drivers" in row
    assert "USD 1.00–40.00 stated</td>" in row  # minimal-valid has no prices
    assert "different currencies" not in page and "Converted to a month" not in page


def test_comparison_converts_periods_and_names_currencies_it_does_not_convert(catalogue_dir: Path) -> None:
    in_euro_per_year = ("    currency: USD\n    period: month", "    currency: EUR\n    period: year")
    edits = {PRICED: ALTERNATIVES[PRICED], "minimal-valid": [*ALTERNATIVES["minimal-valid"], in_euro_per_year]}
    page = _comparison(_pages(_catalogue(catalogue_dir, edits)))
    row = next(line for line in page.splitlines() if "Cost per month" in line)
    assert "EUR 0.08–3.33 stated (converted from per year)" in row  # 1 and 40 a year, over 12 months
    assert "These estimates are in different currencies (EUR, USD)" in page
    assert "a yearly one ÷ 12" in page and "× 730 hours" in page


def test_agent_files_and_mcp_compare_carry_the_computed_cost(catalogue_dir: Path) -> None:
    from patternbook.mcp_server.queries import compare_patterns, get_pattern
    from patternbook.pages.agent_documents import pattern_markdown

    catalogue = _catalogue(catalogue_dir)
    low, high = catalogue.patterns[PRICED].cost.computed() or (0, 0)
    document = get_pattern(catalogue, PRICED)
    cost = document["answers"]["cost"]
    assert cost["computed"]["low"] == pytest.approx(low) and cost["computed"]["high"] == pytest.approx(high)
    assert [d["component"] for d in cost["computed"]["drivers"]] == [d["component"] for d in cost["drivers"]]
    assert cost["workload"][0]["id"] == "messages" and cost["drivers"][0]["price"]["currency"] == "USD"
    assert "computed" not in get_pattern(catalogue, "minimal-valid")["answers"]["cost"]

    markdown = pattern_markdown(catalogue.patterns[PRICED], catalogue)
    assert f"Computed from list prices, per month: USD {low:,.2f} at the low workload" in markdown
    assert "- Messages enqueued: 1,000,000 to 50,000,000 messages per month (`messages`)" in markdown

    compared = compare_patterns(catalogue, [PRICED, "minimal-valid"])
    per_month = {row["slug"]: row["cost"]["per_month"] for row in compared["patterns"]}
    assert per_month[PRICED]["computed_low"] == pytest.approx(low)
    assert per_month["minimal-valid"] == {"low": 1.0, "high": 40.0, "computed_low": None, "computed_high": None}
    assert compared["costs_comparable_per_month"] is True
