"""Variants and retired-runtime notices as readers and tools see them: the pattern page's
Variants section (contributor text escaped like every other field), the variant names on
comparison pages, the agent twins and MCP; and the notice beside a companion repository
whose sample uses a runtime its provider has retired."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from patternbook.catalogue import Catalogue
from patternbook.mcp_server.queries import compare_patterns, get_pattern
from patternbook.pages import SiteOptions, plan_site
from patternbook.pages.agent_documents import pattern_markdown
from tests.conftest import PROJECT
from tests.pages.test_cost_pages import ALTERNATIVES, PRICED, _catalogue, _comparison, _pages

VARIANTS = """variants:
  - name: FIFO queue <b>ordered</b>
    choose_when: Messages for one customer must be processed in the order they were sent, {{ config }}.
    changes:
      failure_edges: A poison message blocks its whole message group, not only one consumer slot.
      cost: FIFO requests cost more per million, and throughput per message group is capped.
  - name: Pull-based consumers
    choose_when: Consumers run on machines that cannot accept inbound pushes from the queue service.
    changes:
      operations: The team tunes the polling interval and batch size instead of a push endpoint.
"""
#: minimal-valid ends with its diagrams: the variants go just before them.
WITH_VARIANTS = ("diagrams:\n", VARIANTS + "diagrams:\n")
RETIRED = ("    description: Collection of serverless templates including a queue feeding a Lambda consumer.\n",
           "    description: Collection of serverless templates including a queue feeding a Lambda consumer.\n"
           "    retired_runtimes: [python3.8, nodejs20.x]\n")


def _with_variants(catalogue_dir: Path, *extra: tuple[str, str]) -> Catalogue:
    """minimal-valid and the priced pattern as alternatives (so a comparison page exists), edited."""
    return _catalogue(catalogue_dir, {PRICED: ALTERNATIVES[PRICED],
                                      "minimal-valid": [*ALTERNATIVES["minimal-valid"], *extra]})


def test_variants_section_renders_every_field_escaped(catalogue_dir: Path) -> None:
    page = _pages(_with_variants(catalogue_dir, WITH_VARIANTS))["patterns/minimal-valid.md"]
    section = page.split("## Variants", 1)[1].split("## Companion repositories", 1)[0]
    assert '<p class="pb-edge-title">FIFO queue &lt;b&gt;ordered&lt;/b&gt;</p>' in section
    assert "<dt>Choose it when</dt><dd>Messages for one customer must be processed in the order they were sent, " \
           "{{ config }}.</dd>" in section
    assert "<dt>Failure edges</dt><dd>A poison message blocks" in section
    assert "<dt>Cost</dt><dd>FIFO requests cost more" in section
    assert "<dt>Operations</dt><dd>The team tunes the polling interval" in section
    assert section.count("<dt>Operations</dt>") == 1  # the FIFO variant changes no operations: no empty row
    assert "<b>" not in section


def test_a_pattern_without_variants_has_no_section(catalogue_dir: Path) -> None:
    pages = _pages(_with_variants(catalogue_dir))
    assert "## Variants" not in pages["patterns/minimal-valid.md"]
    assert "Variants" not in _comparison(pages)  # no pattern compared has any: no empty row


def test_comparison_names_each_patterns_variants(catalogue_dir: Path) -> None:
    page = _comparison(_pages(_with_variants(catalogue_dir, WITH_VARIANTS)))
    row = next(line for line in page.splitlines() if '<th scope="row">Variants</th>' in line)
    assert "<td>FIFO queue &lt;b&gt;ordered&lt;/b&gt;, Pull-based consumers</td>" in row
    assert "<td>None described</td>" in row  # the priced pattern has none


def test_agent_twins_catalogue_json_and_mcp_carry_variants(catalogue_dir: Path) -> None:
    catalogue = _with_variants(catalogue_dir, WITH_VARIANTS)
    document = get_pattern(catalogue, "minimal-valid")
    assert [v["name"] for v in document["variants"]] == ["FIFO queue <b>ordered</b>", "Pull-based consumers"]
    assert document["variants"][1]["changes"] == {
        "failure_edges": None, "cost": None,
        "operations": "The team tunes the polling interval and batch size instead of a push endpoint."}
    assert get_pattern(catalogue, PRICED)["variants"] == []

    markdown = pattern_markdown(catalogue.patterns["minimal-valid"], catalogue)
    # Literal Markdown in the agent twin: the markup is text, not HTML.
    assert "## Variants\n\n- **FIFO queue \\<b\\>ordered\\</b\\>**\n  - Choose it when: Messages for one" in markdown
    assert "  - Operations: The team tunes the polling interval" in markdown

    rows = compare_patterns(catalogue, [PRICED, "minimal-valid"])["patterns"]
    compared = {row["slug"]: row["variants"] for row in rows}
    assert compared == {PRICED: [], "minimal-valid": ["FIFO queue <b>ordered</b>", "Pull-based consumers"]}

    pages = _pages(catalogue)
    listed = {p["slug"]: p for p in json.loads(pages["catalogue.json"])["patterns"]}
    assert len(listed["minimal-valid"]["variants"]) == 2
    assert "variants" not in listed[PRICED]  # absent rather than empty, as before variants existed


def test_page_says_when_the_companion_sample_uses_a_retired_runtime(catalogue_dir: Path) -> None:
    catalogue = _with_variants(catalogue_dir, RETIRED)
    page = _pages(catalogue)["patterns/minimal-valid.md"]
    card = page.split("## Companion repositories", 1)[1].split("</a>", 1)[0]
    assert '<span class="pb-badge pb-stale pb-retired">Retired runtime</span>' in card
    # FIXED_TODAY is 2026-11-01: python3.8 is past its date, nodejs20.x (2026-04-30) too.
    assert ("This sample uses AWS Lambda python3.8 (Python 3.8), retired by its provider on "
            '<time datetime="2024-10-14">2024-10-14</time> '
            "(source: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).") in card
    assert "AWS Lambda nodejs20.x (Node.js 20), retired by its provider on" in card

    markdown_twin = pattern_markdown(catalogue.patterns["minimal-valid"], catalogue)
    assert "  - Uses AWS Lambda python3.8 (Python 3.8), retired by its provider from 2024-10-14" in markdown_twin

    other = _pages(catalogue)[f"patterns/{PRICED}.md"]
    assert "pb-retired" not in other


def test_a_runtime_flagged_before_its_date_reads_as_to_be_retired(catalogue_dir: Path) -> None:
    catalogue = _with_variants(catalogue_dir, RETIRED)
    early = SiteOptions(datetime.date(2026, 1, 1), None)
    page = {p.path: p.content for p in plan_site(catalogue, PROJECT / "templates", early).pages}[
        "patterns/minimal-valid.md"]
    assert "AWS Lambda nodejs20.x (Node.js 20), to be retired by its provider on" in page
    assert "AWS Lambda python3.8 (Python 3.8), retired by its provider on" in page
