"""The cost calculator in Chromium: a reader changes a workload value and reads each
driver and the total recomputed, in the page, with no request to anything.

The priced fixture of the validation cases is built in the small fixture catalogue,
made an alternative of one of its patterns so its comparison page exists too; the
shipped priced patterns are read from the session's build of the shipped catalogue
(the one tests/browser serves), so no second build of it is needed.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from patternbook.schema import Cost, format_amount
from tests.browser.conftest import SERIOUS, _QuietHandler, accessibility_violations, save_screenshot
from tests.conftest import PROJECT, copy_project, mkdocs_build
from tests.validation.test_cases import CASES

pytestmark = pytest.mark.browser

FIXTURE = "priced-cost-model"
#: The fixture catalogue's pattern the fixture is made an alternative of (for its comparison page).
PARTNER = "neighbour-pattern"


def _yaml(text: str) -> object:
    """``yaml.safe_load`` by libyaml (the same data, ten times faster: this module reads
    every shipped bundle when it is collected, in every worker)."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _all_shipped_priced() -> list[str]:
    priced = []
    for bundle in sorted((PROJECT / "patterns").iterdir()):
        document = bundle / "pattern.yaml"
        if not document.is_file():
            continue
        data = _yaml(document.read_text(encoding="utf-8"))
        drivers = (data.get("cost") or {}).get("drivers") or []
        if drivers and all("price" in d for d in drivers) and (data.get("cost") or {}).get("workload"):
            priced.append(bundle.name)
    return priced


SHIPPED_PRICED = _all_shipped_priced()
#: The fixture, and one shipped pattern in full; the rest are walked by the lighter test below.
PRICED = [FIXTURE, *SHIPPED_PRICED[:1]]


def _add_fixture(project: Path) -> None:
    bundle = project / "patterns" / FIXTURE
    bundle.mkdir()
    (bundle / "solution.md").write_text((CASES / "positive" / FIXTURE / "solution.md").read_text())
    text = (CASES / "positive" / FIXTURE / "pattern.yaml").read_text()
    text = text.replace(f"  - type: requires\n    pattern: {PARTNER}",
                        f"  - type: alternative_to\n    pattern: {PARTNER}")
    (bundle / "pattern.yaml").write_text(text)
    partner = project / "patterns" / PARTNER / "pattern.yaml"
    partner.write_text(partner.read_text().replace(
        "relations:\n", f"relations:\n  - type: alternative_to\n    pattern: {FIXTURE}\n", 1))


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def cost_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The priced fixture's site (the small catalogue plus the fixture) and its project."""
    project = copy_project(tmp_path_factory.mktemp("priced") / "library", small=True)
    _add_fixture(project)
    site = project / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-4000:]
    server, url = _serve(site)
    yield url, project
    server.shutdown()


@pytest.fixture(scope="module")
def shipped_priced_site(site_url: str) -> tuple[str, Path]:
    """The shipped catalogue's site (the session's build) and the project its costs are read from."""
    return site_url, PROJECT


def _cost_of(project: Path, slug: str) -> Cost:
    return Cost.model_validate(_yaml((project / "patterns" / slug / "pattern.yaml").read_text())["cost"])


def _open(browser: object, url: str, **options: object) -> tuple[object, object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    tab = context.new_page()
    tab.errors = []  # type: ignore[attr-defined]
    tab.requested = []  # type: ignore[attr-defined]
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.on("request", lambda request: tab.requested.append(request.url))
    tab.goto(url)
    return context, tab


_SHOWN = """() => {
  const texts = (selector) => [...document.querySelectorAll(selector)].map((element) => element.innerText);
  return [texts('[data-pb-cost-driver]'), texts('[data-pb-cost-total]'), texts('[data-pb-cost-summary]')];
}"""


#: The static table's totals, then what the calculator shows after its "Low workload" and "High workload"
#: buttons are pressed, in one call into the page: pressing a preset recomputes at once, in its click handler.
_AT_BOTH_BOUNDS = """() => {
  const texts = (selector) => [...document.querySelectorAll(selector)].map((element) => element.innerText);
  const shown = ["low", "high"].map((bound) => {
    const button = document.querySelector(`[data-pb-calculator] button[data-pb-preset=${bound}]`);
    if (button.textContent !== bound[0].toUpperCase() + bound.slice(1) + " workload") return null;
    button.click();
    return [texts('[data-pb-cost-driver]'), texts('[data-pb-cost-total]'), texts('[data-pb-cost-summary]')];
  });
  return [texts('.pb-cost-breakdown tfoot td'), shown];
}"""


def _shown(tab: object) -> tuple[list[str], str, str]:
    """The calculator's driver cells, its total and its summary as the page shows them, read
    in one call into the page (the page has exactly one total and one summary)."""
    drivers, totals, summaries = tab.evaluate(_SHOWN)
    assert len(totals) == len(summaries) == 1, (totals, summaries)
    return drivers, totals[0], summaries[0]


def _expected(cost: Cost, workload: dict[str, float]) -> tuple[list[str], str]:
    currency = cost.estimate.currency
    each = [driver.cost_at(workload) or 0.0 for driver in cost.drivers]
    return [format_amount(value, currency) for value in each], format_amount(sum(each), currency)


@pytest.mark.parametrize("slug", PRICED)
def test_changing_a_workload_value_recomputes_each_driver_and_the_total(
        browser: object, request: pytest.FixtureRequest, slug: str) -> None:
    url, project = request.getfixturevalue("cost_site" if slug == FIXTURE else "shipped_priced_site")
    cost = _cost_of(project, slug)
    context, tab = _open(browser, f"{url}patterns/{slug}/")
    form = tab.locator("[data-pb-calculator]")
    assert form.is_visible()

    # Prefilled with the low workload: the calculator agrees with the static table's low column.
    low = cost.workload_values("low")
    drivers, total, summary = _shown(tab)
    assert (drivers, total) == _expected(cost, low)
    static_low = tab.locator(".pb-cost-breakdown tfoot td").first.inner_text()
    assert total == static_low

    # Change the first parameter (the label names it) to a value between low and high.
    first = cost.workload[0]
    changed = dict(low, **{first.id: (first.low + first.high) / 2 or 10})
    field = tab.get_by_label(f"{first.label} ({first.unit})", exact=True)  # labelled with its unit
    assert field.get_attribute("id") == f"pb-workload-{first.id}"
    before = len(tab.requested)
    field.fill(str(changed[first.id]))
    drivers, total, summary = _shown(tab)
    expected_drivers, expected_total = _expected(cost, changed)
    assert (drivers, total) == (expected_drivers, expected_total)
    assert summary == f"Total at your workload: {expected_total} per {cost.estimate.period}."
    assert tab.requested[before:] == []  # recomputed in the page: no request to anything
    if slug == FIXTURE:  # worked by hand: 25.5 million messages
        assert total == "USD 41.34"  # 30.6 + 5.1 + 5.44 + 0.20

    # The presets put the high workload back, matching the static high column.
    tab.get_by_role("button", name="High workload").click()
    assert _shown(tab)[1] == tab.locator(".pb-cost-breakdown tfoot td").nth(1).inner_text()

    # A value that is not a number of at least 0 is flagged, not computed.
    field.fill("-5")
    assert field.get_attribute("aria-invalid") == "true"
    assert _shown(tab)[1] == "–"
    assert tab.errors == []
    save_screenshot(tab, f"cost-calculator-{slug}")
    context.close()


@pytest.mark.skipif(not SHIPPED_PRICED, reason="no shipped pattern is priced yet")
def test_every_shipped_priced_page_computes_its_static_table(browser: object,
                                                            shipped_priced_site: tuple[str, Path]) -> None:
    """On each priced page, the calculator at the low and at the high workload shows the
    static table's totals and the model's per-driver costs. The presets are pressed by the page's
    own script here; a reader's clicks and typing are the test above, on the fixture and one of these."""
    url, project = shipped_priced_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    for slug in SHIPPED_PRICED:
        cost = _cost_of(project, slug)
        tab.goto(f"{url}patterns/{slug}/")
        static, shown = tab.evaluate(_AT_BOTH_BOUNDS)
        for index, bound in enumerate(("low", "high")):
            assert shown[index] is not None, (slug, bound, "no preset button named as readers see it")
            drivers, totals, _ = shown[index]
            expected_drivers, expected_total = _expected(cost, cost.workload_values(bound))
            assert (drivers, totals) == (expected_drivers, [expected_total]), (slug, bound)
            assert static[index] == expected_total, (slug, bound)
    assert errors == []
    context.close()


def test_without_javascript_the_static_breakdown_shows_and_the_calculator_does_not(
        browser: object, cost_site: tuple[str, Path]) -> None:
    url, project = cost_site
    cost = _cost_of(project, FIXTURE)
    context, tab = _open(browser, f"{url}patterns/{FIXTURE}/", java_script_enabled=False)
    assert not tab.locator("[data-pb-calculator]").is_visible()
    assert not tab.locator("[data-pb-cost-total]").is_visible()
    rows = tab.locator(".pb-cost-breakdown tbody tr")
    assert rows.count() == len(cost.drivers)
    low, high = cost.computed() or (0, 0)
    footer = tab.locator(".pb-cost-breakdown tfoot td:visible").all_inner_texts()
    assert footer == [format_amount(low, "USD"), format_amount(high, "USD")]
    context.close()


def test_comparison_page_shows_both_costs_per_month(browser: object, cost_site: tuple[str, Path]) -> None:
    url, project = cost_site
    low, high = _cost_of(project, FIXTURE).computed() or (0, 0)
    pages = sorted((project / "site" / "compare").glob(f"*{FIXTURE}*"))
    assert pages, "no comparison page for the priced fixture"
    context, tab = _open(browser, f"{url}compare/{pages[0].name}/")
    row = tab.locator("tr", has=tab.locator("th", has_text="Cost per month"))
    cells = row.locator("td").all_inner_texts()
    assert len(cells) == 2
    mine = next(cell for cell in cells if "computed" in cell)
    assert f"USD {low:,.2f}–{high:,.2f} computed from priced drivers" in mine
    assert all(cell.startswith("USD ") for cell in cells)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_calculator_page_is_accessible_in_both_schemes(browser: object, cost_site: tuple[str, Path],
                                                       scheme: str) -> None:
    url, _ = cost_site
    context, tab = _open(browser, f"{url}patterns/{FIXTURE}/", color_scheme=scheme)
    tab.get_by_label("Messages enqueued (messages per month)", exact=True).fill("2500000")
    assert tab.locator("[data-pb-cost-summary]").get_attribute("aria-live") == "polite"
    tab.locator("[data-pb-calculator]").scroll_into_view_if_needed()
    save_screenshot(tab, f"cost-calculator-{scheme}")
    assert accessibility_violations(tab, impacts=SERIOUS) == []
    context.close()


def test_the_calculator_holds_a_readers_input_to_the_validated_bounds(browser: object, catalogue_dir: Path) -> None:
    """Whatever a reader types, no cell shows NaN, Infinity or an exponent: a workload value
    beyond MAXIMUM_MEASURE is flagged, a cost beyond MAXIMUM_AMOUNT is named, not printed.
    The real page (the priced fixture, its queue made 1,000 times dearer) without a site build."""
    from tests.pages.test_cost_pages import PRICED as SLUG
    from tests.pages.test_cost_pages import _catalogue, _pages

    catalogue = _catalogue(catalogue_dir, {SLUG: [("          messages: 3\n", "          messages: 3000\n"),
                                                  ("    low: 2\n    high: 80\n", "    low: 1200\n    high: 60000\n")]})
    cost = catalogue.patterns[SLUG].cost
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.set_content(_pages(catalogue)[f"patterns/{SLUG}.md"])
    tab.add_script_tag(path=str(PROJECT / "site_overrides" / "assets" / "javascripts" / "patternbook.js"))
    field = tab.locator("#pb-workload-messages")

    field.fill("1e14")  # the largest cost still below the limit: 1.2e11 for the queue
    drivers, total, summary = _shown(tab)
    assert (drivers, total) == _expected(cost, {"messages": 1e14})
    assert "e+" not in total and field.get_attribute("aria-invalid") is None

    field.fill("1e15")  # MAXIMUM_MEASURE, but the queue alone costs 1.2e12, above MAXIMUM_AMOUNT
    drivers, total, summary = _shown(tab)
    assert drivers[0] == "–" and drivers[1] == format_amount(0.2 / 1e6 * 1e15, "USD") and total == "–"
    assert summary == ("More than USD 1,000,000,000,000.00 per month, the largest amount this calculator shows: "
                       "lower a value.")

    for typed in ("1e300", "1.1e15", "Infinity"):
        field.fill(typed)
        assert field.get_attribute("aria-invalid") == "true", typed
        assert _shown(tab)[1:] == ("–", "Enter a number from 0 to 1,000,000,000,000,000 in every field.")
    assert errors == []
    context.close()
