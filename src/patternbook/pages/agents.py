"""The library for assistants and tools: each pattern as plain Markdown and as
structured data, and ``llms.txt``, the index a language model reads first.

Plain text, not HTML: these files are served as ``.md``, ``.json`` and ``.txt``,
so no browser renders contributor text from them as markup. The JSON document is
the same one ``patternbook mcp`` answers ``get_pattern`` with.
"""

from __future__ import annotations

import re
from typing import Any

from patternbook.catalogue import Catalogue
from patternbook.pages.cost import count_text, price_text
from patternbook.schema import Pattern, format_amount
from patternbook.schema.retired_runtimes import retired_runtimes

__all__ = ["llms_txt", "pattern_document", "pattern_markdown"]

FIVE_QUESTIONS = ("the pressure that makes the shape necessary, when not to use it, its failure edges (what "
                  "breaks first), what it costs with its assumptions, and what it takes to operate")


def pattern_document(pattern: Pattern) -> dict[str, Any]:
    """One pattern with its five answers first, then everything else it says."""
    data = pattern.model_dump(mode="json", exclude={"diagrams"})
    edges = data.pop("failure_edges")
    return {
        "slug": pattern.slug,
        "title": pattern.title,
        "summary": pattern.summary,
        "category": pattern.category,
        "status": pattern.status,
        "tags": list(pattern.tags),
        "answers": {
            "pressure": data.pop("pressure"),
            "when_not_to_use": data.pop("when_not_to_use"),
            "failure_edges": [{"order": index + 1, "breaks_first": index == 0, **edge}
                              for index, edge in enumerate(edges)],
            "cost": {**data.pop("cost"), **_computed_cost(pattern)},
            "operations": data.pop("operations"),
        },
        "when_to_use": data.pop("when_to_use"),
        "variants": data.pop("variants", []),
        "pillars": pattern.pillars.served(),
        "solution_markdown": data.pop("solution"),
        "diagrams": [{"id": d.id, "title": d.title, "caption": d.caption, "alt": d.alt} for d in pattern.diagrams],
        **{key: data[key] for key in ("owners", "last_reviewed", "review_interval_days", "superseded_by",
                                      "repositories", "relations", "references", "known_uses")},
    }


def _computed_cost(pattern: Pattern) -> dict[str, Any]:
    """``computed``: the low and high cost per estimate period of a fully priced pattern,
    per driver and in total, so an agent need not redo the arithmetic (nothing when unpriced)."""
    breakdown, computed = pattern.cost.breakdown(), pattern.cost.computed()
    if breakdown is None or computed is None:
        return {}
    return {"computed": {
        "low": round(computed[0], 6), "high": round(computed[1], 6),
        "drivers": [{"component": d.component, "dimension": d.dimension, "low": round(d.low, 6),
                     "high": round(d.high, 6)} for d in breakdown],
    }}


def _cost_model_lines(pattern: Pattern) -> list[str]:
    breakdown, computed = pattern.cost.breakdown(), pattern.cost.computed()
    if breakdown is None or computed is None:
        return []
    currency, period = pattern.cost.estimate.currency, pattern.cost.estimate.period
    lines = ["", f"Computed from list prices, per {period}: {format_amount(computed[0], currency)} at the low "
             f"workload, {format_amount(computed[1], currency)} at the high workload.", ""]
    for driver, each in zip(pattern.cost.drivers, breakdown, strict=True):
        price = driver.price
        assert price is not None
        lines.append(f"- {driver.component} ({driver.dimension}): {price_text(driver)} ({price.source}, as of "
                     f"{price.as_of.isoformat()}) — {format_amount(each.low, currency)} to "
                     f"{format_amount(each.high, currency)}")
    if pattern.cost.workload:
        lines += ["", "Workload behind the estimate (low to high):", ""]
        lines += [f"- {w.label}: {count_text(w.low)} to {count_text(w.high)} {w.unit} (`{w.id}`)"
                  for w in pattern.cost.workload]
    return lines


def _money(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.2f}"


def _items(values: list[str]) -> list[str]:
    return [f"- {value}" for value in values]


def pattern_markdown(pattern: Pattern, catalogue: Catalogue) -> str:
    """The pattern as plain Markdown: every answer, no HTML, nothing a model must skip."""
    estimate = pattern.cost.estimate
    operations = pattern.operations
    category = next((c.title for c in catalogue.categories if c.id == pattern.category), pattern.category)
    lines = [
        f"# {pattern.title}", "",
        f"> {pattern.summary}", "",
        f"Category: {category}. Status: {pattern.status}. Last reviewed: {pattern.last_reviewed.isoformat()}. "
        f"Tags: {', '.join(pattern.tags)}.", "",
    ]
    if pattern.status == "deprecated" and pattern.superseded_by:
        lines += [f"Deprecated: use {pattern.superseded_by} instead.", ""]
    lines += ["## Pressure", "", pattern.pressure.force.strip(), "", "Signals that you are under this pressure:", "",
              *_items(pattern.pressure.signals), ""]
    lines += ["## When to use it", "", *_items(pattern.when_to_use), "",
              "## When not to use it", "", *_items(pattern.when_not_to_use), ""]
    lines += ["## Failure edges", "", "In order: the first is what breaks first.", ""]
    for index, edge in enumerate(pattern.failure_edges, start=1):
        first = " (breaks first)" if index == 1 else ""
        lines += [f"{index}. **{edge.fails}**{first}", f"   - Trigger: {edge.trigger}",
                  f"   - Blast radius: {edge.blast_radius}", f"   - How you notice: {edge.detection}",
                  f"   - Mitigation: {edge.mitigation}", f"   - Recovery: {edge.recovery}"]
    lines += ["", "## Cost", "",
              f"{estimate.currency} {_money(estimate.low)}–{_money(estimate.high)} per {estimate.period}, as of "
              f"{estimate.as_of.isoformat()}.", "", f"Assumptions: {estimate.assumptions.strip()}", "",
              "What drives the bill:", ""]
    lines += [f"- {d.component} — billed by {d.dimension}; {d.scaling}" for d in pattern.cost.drivers]
    lines += _cost_model_lines(pattern)
    lines += ["", "## Operations", "", "Service level indicators:", "", *_items(operations.monitoring.slis), "",
              "Alarms:", "", *_items(operations.monitoring.alarms), "", "Runbooks:", "", *_items(operations.runbooks),
              "", "Skills the team needs:", "", *_items(operations.skills), "", "Recurring toil:", "",
              *_items(operations.toil), ""]
    if pattern.variants:
        lines += ["## Variants", ""]
        for variant in pattern.variants:
            changes = variant.changes
            lines += [f"- **{variant.name}**", f"  - Choose it when: {variant.choose_when}"]
            lines += [f"  - {label}: {text}" for label, text in (("Failure edges", changes.failure_edges),
                                                                  ("Cost", changes.cost),
                                                                  ("Operations", changes.operations)) if text]
        lines.append("")
    lines += ["## Pillars", ""] + [f"- {name.replace('_', ' ')}: {reason}"
                                   for name, reason in pattern.pillars.served().items()] + [""]
    # solution.md's own sections sit one level below "Solution" here.
    lines += ["## Solution", "", re.sub(r"(?m)^## ", "### ", pattern.solution.strip()), ""]
    lines += ["## Companion repositories", ""]
    for repository in pattern.repositories:
        where = "".join([f" at {repository.ref}" if repository.ref else "",
                         f", folder {repository.path}" if repository.path else ""])
        lines.append(f"- {repository.url} ({repository.iac}{where}): {repository.description}")
        for identifier in repository.retired_runtimes:
            runtime = retired_runtimes()[identifier]
            lines.append(f"  - Uses {runtime.title}, retired by its provider from {runtime.retired.isoformat()} "
                         f"({runtime.source}).")
    lines += ["", "## Related patterns", ""]
    lines += [f"- {relation.type.replace('_', ' ')}: {relation.pattern}"
              + (f" — {relation.note}" if relation.note else "") for relation in pattern.relations]
    if pattern.references:
        lines += ["", "## References", ""] + [f"- [{r.title}]({r.url})" for r in pattern.references]
    return "\n".join(lines).rstrip() + "\n"


def llms_txt(catalogue: Catalogue, site_name: str, description: str | None, link: Any) -> str:
    """``llms.txt``: what the library is, then a link per pattern with its one-line summary,
    grouped by category. ``link(path)`` turns a site path into the address to print."""
    lines = [f"# {site_name}", "",
             f"> {description or 'A catalogue of production architecture patterns.'}", "",
             f"Every pattern answers five questions: {FIVE_QUESTIONS}. Each pattern is linked below as plain "
             "Markdown; the same content is available as JSON by replacing `.md` with `.json`, and as a web page "
             "by replacing `.md` with `/`.", ""]
    for category in catalogue.categories:
        members = sorted(catalogue.in_category(category.id), key=lambda p: p.title.casefold())
        if not members:
            continue
        lines += [f"## {category.title}", ""]
        lines += [f"- [{p.title}]({link(f'patterns/{p.slug}.md')}): {p.summary}"
                  + (" (deprecated)" if p.status == "deprecated" else "") for p in members]
        lines.append("")
    lines += ["## Optional", "",
              f"- [Catalogue as JSON]({link('catalogue.json')}): every pattern as structured data, with its schema "
              f"in catalogue.schema.json",
              f"- [What changed]({link('feed.xml')}): an Atom feed of new, changed, re-reviewed and deprecated "
              "patterns", ""]
    return "\n".join(lines)
