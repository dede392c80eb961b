"""What the MCP tools answer, as plain data, computed from an in-memory catalogue.

Kept free of the ``mcp`` package so the answers can be tested directly and the
SDK stays an import of ``patternbook mcp`` alone. Nothing here touches a file:
the catalogue was read once, when the server started.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from patternbook.catalogue import Catalogue
from patternbook.escaping import strict_json
from patternbook.pages.agent_documents import bundle_document, bundle_markdown
from patternbook.schema import PILLARS, Bundle, Pattern

__all__ = [
    "CatalogueQueryError",
    "anti_patterns",
    "bundle_json_text",
    "bundle_markdown_text",
    "compare_patterns",
    "find_by_symptom",
    "get_pattern",
    "search_patterns",
]

#: Pages are addressed relative to the library root; a client joins them to wherever it is hosted.
PAGE_PATH = "patterns/{slug}/"


class CatalogueQueryError(ValueError):
    """An input that names something the catalogue does not have; the message lists what it has."""


def _words(text: str) -> list[str]:
    """Lower-case words with a plural "s" dropped, so "retry storm" finds "retry storms"."""
    return [word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
            for word in re.findall(r"[a-z0-9]+", text.casefold())]


def _known(kind: str, value: str, known: list[str]) -> None:
    if value not in known:
        raise CatalogueQueryError(f"unknown {kind} '{value}'; known: {', '.join(sorted(known))}")


def _no_such_slug(slug: str, known: Iterable[str]) -> CatalogueQueryError:
    """The error for an unknown slug, naming the known ones that share a word with it."""
    close = [s for s in known if set(_words(slug)) & set(_words(s))][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else "; use search_patterns to find slugs"
    return CatalogueQueryError(f"no pattern '{slug}'{hint}")


def _pattern_or_error(catalogue: Catalogue, slug: str) -> Pattern:
    pattern = catalogue.patterns.get(slug)
    if pattern is None:
        raise _no_such_slug(slug, catalogue.patterns)
    return pattern


def _bundle_or_error(catalogue: Catalogue, slug: str) -> Bundle:
    """A bundle of any kind by slug, or an error naming the closest slugs of every kind."""
    bundle = catalogue.entries.get(slug)
    if bundle is None:
        raise _no_such_slug(slug, catalogue.entries)
    return bundle


def pattern_card(pattern: Pattern) -> dict[str, Any]:
    """The short form every list answer uses."""
    return {
        "slug": pattern.slug,
        "title": pattern.title,
        "summary": pattern.summary,
        "category": pattern.category,
        "status": pattern.status,
        "ring": pattern.adoption.ring if pattern.adoption else None,
        "tags": list(pattern.tags),
        "pillars": sorted(pattern.pillars.served()),
        "path": PAGE_PATH.format(slug=pattern.slug),
    }


def _search_fields(pattern: Pattern) -> list[tuple[int, str]]:
    """(weight, text): a hit in the title counts more than one in the prose."""
    return [
        (5, pattern.title), (3, pattern.summary), (3, " ".join(pattern.tags)), (2, pattern.slug.replace("-", " ")),
        (2, " ".join(symptom.replace("-", " ") for symptom in pattern.pressure.symptoms)),
        (1, pattern.pressure.force), (1, " ".join(pattern.pressure.signals)), (1, pattern.solution),
        (1, " ".join(edge.fails for edge in pattern.failure_edges)),
    ]


def search_patterns(catalogue: Catalogue, query: str = "", *, category: str | None = None, tag: str | None = None,
                    pillar: str | None = None, status: str | None = None, iac: str | None = None,
                    ring: str | None = None, limit: int = 20) -> dict[str, Any]:
    """Patterns matching every word of ``query`` (all patterns when empty) and every facet given."""
    if category is not None:
        _known("category", category, [c.id for c in catalogue.categories])
    if tag is not None:
        _known("tag", tag, list(catalogue.definitions.tags))
    if pillar is not None:
        _known("pillar", pillar, list(PILLARS))
    if ring is not None:
        _known("ring", ring, list(catalogue.definitions.adoption.ring_ids))
    words = _words(query)
    scored: list[tuple[int, str, Pattern]] = []
    for pattern in catalogue.patterns.values():
        if (category and pattern.category != category) or (tag and tag not in pattern.tags):
            continue
        if (pillar and pillar not in pattern.pillars.served()) or (status and pattern.status != status):
            continue
        if iac and all(repository.iac != iac for repository in pattern.repositories):
            continue
        if ring and (pattern.adoption is None or pattern.adoption.ring != ring):
            continue
        fields = [(weight, set(_words(text))) for weight, text in _search_fields(pattern)]
        score = 0
        for word in words:
            hits = sum(weight for weight, vocabulary in fields if word in vocabulary)
            if hits == 0:
                break
            score += hits
        else:
            scored.append((score, pattern.title.casefold(), pattern))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return {
        "query": query,
        "filters": {k: v for k, v in {"category": category, "tag": tag, "pillar": pillar, "status": status,
                                      "iac": iac, "ring": ring}.items() if v is not None},
        "total": len(scored),
        "patterns": [pattern_card(pattern) for _, _, pattern in scored[:limit]],
    }


def get_pattern(catalogue: Catalogue, slug: str) -> dict[str, Any]:
    """One bundle of any kind: a pattern with its five answers first, an anti-pattern with
    its signals, failure edges and way out first, then everything else it says (the same
    document as the ``patterns/<slug>.json`` file beside its page), with its ``kind``."""
    bundle = _bundle_or_error(catalogue, slug)
    return {**bundle_document(bundle), "path": PAGE_PATH.format(slug=slug)}


def bundle_markdown_text(catalogue: Catalogue, slug: str) -> str:
    """A bundle of any kind as Markdown: the text of its ``patterns/<slug>.md`` twin."""
    return bundle_markdown(_bundle_or_error(catalogue, slug), catalogue)


def bundle_json_text(catalogue: Catalogue, slug: str) -> str:
    """A bundle of any kind as JSON: the text of its ``patterns/<slug>.json`` twin."""
    return strict_json(bundle_document(_bundle_or_error(catalogue, slug)))


def find_by_symptom(catalogue: Catalogue, symptom: str) -> dict[str, Any]:
    """Patterns for a symptom id, or for the symptoms whose wording best matches free text."""
    known = {s.id: s for s in catalogue.symptoms}
    if symptom in known:
        chosen = [known[symptom]]
    else:
        words = {word for word in _words(symptom) if len(word) > 2}  # "a", "is", "we" match everything
        overlap = [(len(words & set(_words(f"{s.title} {s.id.replace('-', ' ')}"))), s) for s in catalogue.symptoms]
        best = max((count for count, _ in overlap), default=0)
        if best == 0:
            raise CatalogueQueryError(
                f"no symptom matches '{symptom}'; known symptom ids: {', '.join(sorted(known))}")
        chosen = [s for count, s in overlap if count == best]
    return {
        "symptoms": [
            {"id": s.id, "title": s.title,
             "patterns": [pattern_card(p) for p in catalogue.ranked_for_symptom(s.id)]}
            for s in chosen
        ],
    }


def compare_patterns(catalogue: Catalogue, slugs: list[str]) -> dict[str, Any]:
    """Cost, pillars, failure edges and operational burden, side by side."""
    patterns = [_pattern_or_error(catalogue, slug) for slug in dict.fromkeys(slugs)]
    if len(patterns) < 2:
        raise CatalogueQueryError("name at least two different patterns to compare")
    rows = []
    for pattern in patterns:
        estimate = pattern.cost.estimate
        monthly = pattern.cost.per_month()
        operations = pattern.operations
        rows.append({
            "slug": pattern.slug,
            "title": pattern.title,
            "status": pattern.status,
            "pressure": pattern.pressure.force,
            "cost": {"low": estimate.low, "high": estimate.high, "currency": estimate.currency,
                     "period": estimate.period, "as_of": estimate.as_of.isoformat(),
                     "drivers": [driver.component for driver in pattern.cost.drivers],
                     "per_month": {"low": round(monthly.low, 6), "high": round(monthly.high, 6),
                                   "computed_low": _rounded(monthly.computed_low),
                                   "computed_high": _rounded(monthly.computed_high)}},
            "pillars": {name: pattern.pillars.served().get(name) for name in PILLARS},
            "breaks_first": pattern.failure_edges[0].fails,
            "variants": [variant.name for variant in pattern.variants],
            "failure_edges": [edge.fails for edge in pattern.failure_edges],
            "operational_burden": {
                "alarms": len(operations.monitoring.alarms), "runbooks": len(operations.runbooks),
                "skills": len(operations.skills), "toil": len(operations.toil)},
        })
    currencies = {(row["cost"]["currency"], row["cost"]["period"]) for row in rows}
    return {
        "patterns": rows,
        "relations": [{"from": p.slug, "type": r.type, "to": r.pattern}
                      for p in patterns for r in p.relations if r.pattern in {q.slug for q in patterns}],
        "costs_comparable": len(currencies) == 1,
        "costs_comparable_per_month": len({row["cost"]["currency"] for row in rows}) == 1,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _as_data(item: Any) -> dict[str, Any]:
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json")
    return dict(item) if isinstance(item, dict) else {"value": str(item)}


def anti_patterns(catalogue: Catalogue) -> dict[str, Any]:
    """Anti-patterns and the patterns to refactor toward, for catalogues that define them.

    Anti-patterns are a separate bundle kind; a catalogue without them (or a
    Patternbook version without the kind) answers with an empty list and says why.
    """
    found = getattr(catalogue, "anti_patterns", None) or {}
    items = list(found.values()) if isinstance(found, dict) or hasattr(found, "values") else list(found)
    result = []
    for item in items:
        data = _as_data(item)
        toward = data.get("refactor_toward") or data.get("refactor_to") or [
            relation for relation in data.get("relations", []) or []
            if isinstance(relation, dict) and "refactor" in str(relation.get("type", ""))]
        targets = [entry.get("pattern", entry) if isinstance(entry, dict) else entry for entry in toward]
        result.append({
            "slug": data.get("slug"),
            "title": data.get("title"),
            "summary": data.get("summary"),
            "refactor_toward": [pattern_card(catalogue.patterns[t]) if isinstance(t, str) and t in catalogue.patterns
                                else {"slug": t} for t in targets],
            "details": data,
        })
    return {
        "anti_patterns": result,
        "note": None if result else "this catalogue defines no anti-patterns",
    }
