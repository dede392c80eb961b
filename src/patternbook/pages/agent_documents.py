"""The library for assistants and tools: each bundle as plain Markdown and as
structured data, and ``llms.txt``, the index a language model reads first.

Every bundle kind has its own pair of renderers (:data:`MARKDOWN_BY_KIND`,
:data:`DOCUMENT_BY_KIND`), since the kinds answer different questions; callers
go through :func:`bundle_markdown` and :func:`bundle_document`, so a kind without
renderers fails a test instead of going without its files.

Plain text, not HTML: these files are served as ``.md``, ``.json`` and ``.txt``,
so no browser renders contributor text from them as markup. But the readers of
the Markdown (assistants, and the tools that show it to people) do parse it, so
contributor text is data here too: every text field goes through
:func:`~patternbook.escaping.markdown_text` (a title cannot close its link and
point it at another host, a summary cannot add an image or HTML), and the prose
of ``solution.md`` is carried as Markdown without the images and raw HTML that
validation refuses (:func:`agent_prose`). The JSON document is the same one
``patternbook mcp`` answers ``get_pattern`` with.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

from patternbook.catalogue import Catalogue
from patternbook.escaping import markdown_link_url, markdown_text
from patternbook.pages.cost import count_text, price_text
from patternbook.schema import DEFAULT_KIND, AntiPattern, Bundle, Pattern, format_amount
from patternbook.schema.adoption import KnownUse
from patternbook.schema.cost import rounded_amount
from patternbook.schema.retired_runtimes import retired_runtimes
from patternbook.schema.terms import PILLAR_TITLES
from patternbook.validation.markdown_rules import prose_markup

__all__ = [
    "DOCUMENT_BY_KIND",
    "MARKDOWN_BY_KIND",
    "agent_prose",
    "anti_pattern_document",
    "anti_pattern_markdown",
    "bundle_document",
    "bundle_markdown",
    "llms_txt",
    "pattern_document",
    "pattern_markdown",
]

_t, _u = markdown_text, markdown_link_url
#: An image's ``!`` (inline ``![alt](src)`` or reference ``![alt][ref]``).
_IMAGE_MARK = re.compile(r"!(?=\[)")


def agent_prose(markdown: str) -> str:
    """Contributor Markdown (``solution.md``) for an agent file: what the shared detector
    (:func:`~patternbook.validation.markdown_rules.prose_markup`) finds as raw HTML is
    HTML-escaped, so it reads as text, and images become links (their ``!`` escaped), so
    no reader fetches them. Validation refuses both; this is the second wall."""
    raw, _, images = prose_markup(markdown)
    for fragment in sorted(set(raw), key=len, reverse=True):
        markdown = markdown.replace(fragment, html.escape(fragment, quote=False))
    if images:
        markdown = _IMAGE_MARK.sub(lambda _: "\\!", markdown)
    return markdown


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
        "adoption": data.get("adoption"),
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
        lines.append(f"- {_t(driver.component)} ({_t(driver.dimension)}): {_t(price_text(driver))} "
                     f"({_t(price.source)}, as of "
                     f"{price.as_of.isoformat()}) — {format_amount(each.low, currency)} to "
                     f"{format_amount(each.high, currency)}")
    if pattern.cost.workload:
        lines += ["", "Workload behind the estimate (low to high):", ""]
        lines += [f"- {_t(w.label)}: {count_text(w.low)} to {count_text(w.high)} {_t(w.unit)} (`{w.id}`)"
                  for w in pattern.cost.workload]
    return lines


def _items(values: list[str]) -> list[str]:
    return [f"- {_t(value)}" for value in values]


def _known_use(use: KnownUse) -> str:
    """A known use as one plain line: who, what, since when, where to check."""
    since = f" (since {use.since.isoformat()})" if use.since else ""
    source = f" Source: {use.url}" if use.url else ""
    return f"{use.who}: {use.what}{since}{source}"


def _adoption_lines(bundle: Bundle, catalogue: Catalogue) -> list[str]:
    """Where the organisation stands on the bundle, as the radar shows it."""
    if bundle.adoption is None:
        return []
    ring = catalogue.definitions.adoption.ring_titles.get(bundle.adoption.ring, bundle.adoption.ring)
    return [f"Adoption: {_t(ring)} since {bundle.adoption.since.isoformat()}. {_t(bundle.adoption.rationale)}", ""]


def pattern_markdown(pattern: Pattern, catalogue: Catalogue) -> str:
    """The pattern as plain Markdown: every answer, no HTML, nothing a model must skip."""
    estimate = pattern.cost.estimate
    operations = pattern.operations
    category = next((c.title for c in catalogue.categories if c.id == pattern.category), pattern.category)
    lines = [
        f"# {_t(pattern.title)}", "",
        f"> {_t(pattern.summary)}", "",
        f"Category: {_t(category)}. Status: {pattern.status}. Last reviewed: {pattern.last_reviewed.isoformat()}. "
        f"Tags: {', '.join(pattern.tags)}.", "",
        *_adoption_lines(pattern, catalogue),
    ]
    if pattern.status == "deprecated" and pattern.superseded_by:
        lines += [f"Deprecated: use {pattern.superseded_by} instead.", ""]
    lines += ["## Pressure", "", _t(pattern.pressure.force), "", "Signals that you are under this pressure:", "",
              *_items(pattern.pressure.signals), ""]
    lines += ["## When to use it", "", *_items(pattern.when_to_use), "",
              "## When not to use it", "", *_items(pattern.when_not_to_use), ""]
    lines += ["## Failure edges", "", "In order: the first is what breaks first.", ""]
    for index, edge in enumerate(pattern.failure_edges, start=1):
        first = " (breaks first)" if index == 1 else ""
        lines += [f"{index}. **{_t(edge.fails)}**{first}", f"   - Trigger: {_t(edge.trigger)}",
                  f"   - Blast radius: {_t(edge.blast_radius)}", f"   - How you notice: {_t(edge.detection)}",
                  f"   - Mitigation: {_t(edge.mitigation)}", f"   - Recovery: {_t(edge.recovery)}"]
    lines += ["", "## Cost", "",
              f"{estimate.currency} {rounded_amount(estimate.low)}–{rounded_amount(estimate.high)} "
              f"per {estimate.period}, as of {estimate.as_of.isoformat()}.", "",
              f"Assumptions: {_t(estimate.assumptions)}", "",
              "What drives the bill:", ""]
    lines += [f"- {_t(d.component)} — billed by {_t(d.dimension)}; {_t(d.scaling)}" for d in pattern.cost.drivers]
    lines += _cost_model_lines(pattern)
    lines += ["", "## Operations", "", "Service level indicators:", "", *_items(operations.monitoring.slis), "",
              "Alarms:", "", *_items(operations.monitoring.alarms), "", "Runbooks:", "", *_items(operations.runbooks),
              "", "Skills the team needs:", "", *_items(operations.skills), "", "Recurring toil:", "",
              *_items(operations.toil), ""]
    if pattern.variants:
        lines += ["## Variants", ""]
        for variant in pattern.variants:
            changes = variant.changes
            lines += [f"- **{_t(variant.name)}**", f"  - Choose it when: {_t(variant.choose_when)}"]
            lines += [f"  - {label}: {_t(text)}" for label, text in (("Failure edges", changes.failure_edges),
                                                                  ("Cost", changes.cost),
                                                                  ("Operations", changes.operations)) if text]
        lines.append("")
    lines += ["## Pillars", ""] + [f"- {name.replace('_', ' ')}: {_t(reason)}"
                                   for name, reason in pattern.pillars.served().items()] + [""]
    # solution.md's own sections sit one level below "Solution" here.
    lines += ["## Solution", "", re.sub(r"(?m)^## ", "### ", agent_prose(pattern.solution).strip()), ""]
    lines += ["## Companion repositories", ""]
    for repository in pattern.repositories:
        where = "".join([f" at {repository.ref}" if repository.ref else "",
                         f", folder {_t(repository.path)}" if repository.path else ""])
        lines.append(f"- {_t(str(repository.url))} ({repository.iac}{where}): {_t(repository.description)}")
        for identifier in repository.retired_runtimes:
            runtime = retired_runtimes()[identifier]
            lines.append(f"  - Uses {_t(runtime.title)}, retired by its provider from {runtime.retired.isoformat()} "
                         f"({_t(runtime.source)}).")
    lines += ["", "## Related patterns", ""]
    lines += [f"- {relation.type.replace('_', ' ')}: {relation.pattern}"
              + (f" — {_t(relation.note)}" if relation.note else "") for relation in pattern.relations]
    if pattern.references:
        lines += ["", "## References", ""]
        lines += [f"- [{_t(r.title)}]({_u(str(r.url))})" for r in pattern.references]
    return "\n".join(lines).rstrip() + "\n"


def anti_pattern_document(anti_pattern: AntiPattern) -> dict[str, Any]:
    """One anti-pattern with what it is, how it fails and the way out first, then everything else it says."""
    data = anti_pattern.model_dump(mode="json", exclude={"diagrams"})
    edges = data.pop("failure_edges")
    return {
        "slug": anti_pattern.slug,
        "kind": anti_pattern.kind,
        "title": anti_pattern.title,
        "summary": anti_pattern.summary,
        "category": anti_pattern.category,
        "status": anti_pattern.status,
        "tags": list(anti_pattern.tags),
        "answers": {
            "pressure": data.pop("pressure"),
            "signals": data.pop("signals"),
            "failure_edges": [{"order": index + 1, "breaks_first": index == 0, **edge}
                              for index, edge in enumerate(edges)],
            "refactor_to": data.pop("refactor_to"),
            "tolerable_when": data.pop("tolerable_when"),
        },
        "harms": anti_pattern.harms.served(),
        "symptoms": data.pop("symptoms"),
        "solution_markdown": data.pop("solution"),
        "diagrams": [{"id": d.id, "title": d.title, "caption": d.caption, "alt": d.alt}
                     for d in anti_pattern.diagrams],
        **{key: data[key] for key in ("owners", "last_reviewed", "review_interval_days", "superseded_by",
                                      "relations", "references", "known_uses")},
        "adoption": data.get("adoption"),
    }


def anti_pattern_markdown(anti_pattern: AntiPattern, catalogue: Catalogue) -> str:
    """The anti-pattern as plain Markdown: what it looks like, why teams fall into it,
    the signals, how it fails and the way out. No HTML, nothing a model must skip."""
    category = next((c.title for c in catalogue.categories if c.id == anti_pattern.category), anti_pattern.category)
    lines = [
        f"# {_t(anti_pattern.title)}", "",
        f"> {_t(anti_pattern.summary)}", "",
        f"Kind: anti-pattern, a shape to recognise and leave. Category: {_t(category)}. Status: {anti_pattern.status}. "
        f"Last reviewed: {anti_pattern.last_reviewed.isoformat()}. Tags: {', '.join(anti_pattern.tags)}.", "",
        *_adoption_lines(anti_pattern, catalogue),
    ]
    if anti_pattern.status == "deprecated" and anti_pattern.superseded_by:
        lines += [f"Deprecated: read {anti_pattern.superseded_by} instead.", ""]
    # solution.md's own sections ("Shape", "Way out") sit one level below "What it looks like" here.
    lines += ["## What it looks like", "", re.sub(r"(?m)^## ", "### ", agent_prose(anti_pattern.solution).strip()), ""]
    lines += ["## Why teams fall into it", "", _t(anti_pattern.pressure.force.strip()), ""]
    lines += ["## Signals that you are in it", "", *_items(anti_pattern.signals), ""]
    lines += ["## How it fails", "", "In order: the first is what breaks first.", ""]
    for index, edge in enumerate(anti_pattern.failure_edges, start=1):
        first = " (breaks first)" if index == 1 else ""
        lines += [f"{index}. **{_t(edge.fails)}**{first}", f"   - Trigger: {_t(edge.trigger)}",
                  f"   - Blast radius: {_t(edge.blast_radius)}", f"   - How you notice: {_t(edge.detection)}",
                  f"   - While you are still in it: {_t(edge.mitigation)}", f"   - Recovery: {_t(edge.recovery)}"]
    lines += ["", "## When living with it is reasonable", "", *_items(anti_pattern.tolerable_when), ""]
    lines += ["## Refactor toward", "", "Patterns to move toward, the first step first:", ""]
    lines += [f"{index}. {step.pattern}: {_t(step.why)}"
              for index, step in enumerate(anti_pattern.refactor_to, start=1)]
    lines += ["", "## Pillars it erodes", ""] + [f"- {PILLAR_TITLES[name].lower()}: {_t(reason)}"
                                                 for name, reason in anti_pattern.harms.served().items()]
    if anti_pattern.relations:
        lines += ["", "## Related anti-patterns", ""]
        lines += [f"- {relation.type.replace('_', ' ')}: {relation.pattern}"
                  + (f" — {_t(relation.note)}" if relation.note else "") for relation in anti_pattern.relations]
    if anti_pattern.known_uses:
        lines += ["", "## Seen in", "", *_items([_known_use(use) for use in anti_pattern.known_uses])]
    if anti_pattern.references:
        lines += ["", "## References", ""] + [f"- [{_t(r.title)}]({_u(str(r.url))})" for r in anti_pattern.references]
    return "\n".join(lines).rstrip() + "\n"


#: Per bundle kind, its Markdown twin (``patterns/<slug>.md``) and its JSON document
#: (``patterns/<slug>.json``, and MCP's ``get_pattern``).
MARKDOWN_BY_KIND: dict[str, Callable[[Any, Catalogue], str]] = {
    "pattern": pattern_markdown, "anti-pattern": anti_pattern_markdown}
DOCUMENT_BY_KIND: dict[str, Callable[[Any], dict[str, Any]]] = {
    "pattern": pattern_document, "anti-pattern": anti_pattern_document}


def bundle_markdown(bundle: Bundle, catalogue: Catalogue) -> str:
    """A bundle of any kind as plain Markdown."""
    return MARKDOWN_BY_KIND[bundle.kind](bundle, catalogue)


def bundle_document(bundle: Bundle) -> dict[str, Any]:
    """A bundle of any kind as structured data, saying which kind it is."""
    return {"kind": bundle.kind, **DOCUMENT_BY_KIND[bundle.kind](bundle)}


def llms_txt(catalogue: Catalogue, site_name: str, description: str | None, link: Any,
             more_links: Sequence[str] = ()) -> str:
    """``llms.txt``: what the library is, then a link per pattern with its one-line summary,
    grouped by category. ``link(path)`` turns a site path into the address to print;
    ``more_links`` are Markdown list items, already escaped, for the optional section
    (``llms-full.txt`` and its parts, from :mod:`patternbook.pages.llms_full`)."""
    lines = [f"# {_t(site_name)}", "",
             f"> {_t(description or 'A catalogue of production architecture patterns.')}", "",
             f"Every pattern answers five questions: {FIVE_QUESTIONS}. Each pattern is linked below as plain "
             "Markdown; the same content is available as JSON by replacing `.md` with `.json`, and as a web page "
             "by replacing `.md` with `/`.", ""]
    for category in catalogue.categories:
        members = sorted(catalogue.in_category(category.id), key=lambda p: p.title.casefold())
        if not members:
            continue
        lines += [f"## {_t(category.title)}", ""]
        lines += [f"- [{_t(p.title)}]({_u(link(f'patterns/{p.slug}.md'))}): {_t(p.summary)}"
                  + (" (deprecated)" if p.status == "deprecated" else "") for p in members]
        lines.append("")
    # Every other kind gets a section of its own after the patterns, each bundle linked the same way.
    for kind, bundles in catalogue.by_kind():
        if kind.name == DEFAULT_KIND or not bundles:
            continue
        lines += [f"## {kind.plural}", "", f"Each is {kind.description}.", ""]
        lines += [f"- [{_t(b.title)}]({_u(link(f'patterns/{b.slug}.md'))}): {_t(b.summary)}"
                  + (" (deprecated)" if b.status == "deprecated" else "")
                  for b in sorted(bundles.values(), key=lambda b: b.title.casefold())]
        lines.append("")
    lines += ["## Optional", "",
              f"- [Catalogue as JSON]({_u(link('catalogue.json'))}): every pattern as structured data, with its schema "
              f"in catalogue.schema.json",
              f"- [What changed]({_u(link('feed.xml'))}): an Atom feed of new, changed, re-reviewed and deprecated "
              "patterns", *more_links, ""]
    return "\n".join(lines)
