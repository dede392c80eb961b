"""Comparing two sides field by field: what a change does to each pattern and to ``catalogue.yaml``."""

from __future__ import annotations

import difflib
import re
from typing import Any

from patternbook.catalogue_diff.model import (
    EDGE_SIMILARITY,
    RENAME_SIMILARITY,
    CatalogueDiff,
    FieldChange,
    PatternChanges,
    Side,
)
from patternbook.loader import level_two_sections
from patternbook.schema.adoption import ring_move_text
from patternbook.schema.cost import rounded_amount
from patternbook.schema.kinds import DEFAULT_KIND

# --- comparing ----------------------------------------------------------------------


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, dict):
        return [w for item in value.values() for w in _words(item)]
    if isinstance(value, list):
        return [w for item in value for w in _words(item)]
    return [] if value is None else [str(value)]


def _size(old: Any, new: Any) -> str:
    """How much changed, in words added and removed."""
    matcher = difflib.SequenceMatcher(None, _words(old), _words(new), autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return f"+{added}/−{removed} words"


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _money(value: Any) -> str:
    """A bound of a raw estimate: a number as every page prints it, anything else (invalid YAML) as is."""
    return rounded_amount(value) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _cost_text(estimate: Any) -> str:
    if not isinstance(estimate, dict):
        return "none"
    return (f"{estimate.get('currency')} {_money(estimate.get('low'))}–{_money(estimate.get('high'))} "
            f"per {estimate.get('period')}")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _edge_changes(old_edges: list[Any], new_edges: list[Any]) -> list[FieldChange]:
    old = [_dict(e) for e in old_edges]
    new = [_dict(e) for e in new_edges]
    old_names = [str(e.get("fails", "")) for e in old]
    new_names = [str(e.get("fails", "")) for e in new]
    # Identify each new edge with an old one: same text first, then reworded text.
    matched: dict[int, int] = {}
    for j, name in enumerate(new_names):
        if name in old_names and old_names.index(name) not in matched.values():
            matched[j] = old_names.index(name)
    for j, name in enumerate(new_names):
        if j in matched:
            continue
        candidates = [(_similarity(name, old_names[i]), i) for i in range(len(old)) if i not in matched.values()]
        best = max(candidates, default=(0.0, -1))
        if best[0] >= EDGE_SIMILARITY:
            matched[j] = best[1]
    changes: list[FieldChange] = []
    if old and new and matched.get(0) != 0:
        changes.append(FieldChange("failure_edges", "breaks_first",
                                   f"breaks first changed: “{old_names[0]}” → “{new_names[0]}”",
                                   old_names[0], new_names[0]))
    for j, name in enumerate(new_names):
        if j not in matched:
            changes.append(FieldChange("failure_edges", "added", f"failure edge added at position {j + 1}: “{name}”",
                                       None, name))
    for i, name in enumerate(old_names):
        if i not in matched.values():
            changes.append(FieldChange("failure_edges", "removed", f"failure edge removed: “{name}”", name, None))
    order_old = [i for j, i in sorted(matched.items())]
    if order_old != sorted(order_old):
        changes.append(FieldChange("failure_edges", "reordered",
                                   "failure edges reordered: " + ", ".join(
                                       f"#{i + 1} → #{j + 1}" for j, i in sorted(matched.items()) if i != j),
                                   [old_names[i] for i in sorted(matched.values())],
                                   [new_names[j] for j in sorted(matched)]))
    for j, i in sorted(matched.items()):
        if old[i] != new[j]:
            fields = sorted(k for k in set(old[i]) | set(new[j]) if old[i].get(k) != new[j].get(k))
            changes.append(FieldChange("failure_edges", "changed",
                                       f"failure edge “{new_names[j]}” edited ({', '.join(fields)}; "
                                       f"{_size(old[i], new[j])})", old[i], new[j]))
    return changes


def _cost_changes(old: Any, new: Any) -> list[FieldChange]:
    old_estimate, new_estimate = _dict(_dict(old).get("estimate")), _dict(_dict(new).get("estimate"))
    changes: list[FieldChange] = []
    keys = ("low", "high", "currency", "period")
    if any(old_estimate.get(k) != new_estimate.get(k) for k in keys):
        what = "currency" if old_estimate.get("currency") != new_estimate.get("currency") else "range"
        changes.append(FieldChange("cost.estimate", what, f"cost {what} changed: {_cost_text(old_estimate)} → "
                                   f"{_cost_text(new_estimate)}", {k: old_estimate.get(k) for k in keys},
                                   {k: new_estimate.get(k) for k in keys}))
    if old_estimate.get("as_of") != new_estimate.get("as_of"):
        changes.append(FieldChange("cost.estimate.as_of", "changed", f"cost as of {old_estimate.get('as_of')} → "
                                   f"{new_estimate.get('as_of')}", old_estimate.get("as_of"),
                                   new_estimate.get("as_of")))
    if old_estimate.get("assumptions") != new_estimate.get("assumptions"):
        size = _size(old_estimate.get("assumptions"), new_estimate.get("assumptions"))
        changes.append(FieldChange("cost.estimate.assumptions", "changed", f"cost assumptions rewritten ({size})",
                                   old_estimate.get("assumptions"), new_estimate.get("assumptions")))
    old_workload, new_workload = _list(_dict(old).get("workload")), _list(_dict(new).get("workload"))
    if old_workload != new_workload:
        changes.append(FieldChange("cost.workload", "changed", "cost workload changed "
                                   f"({len(old_workload)} → {len(new_workload)} parameter(s))",
                                   old_workload or None, new_workload or None))
    old_drivers = {str(_dict(d).get("component")): d for d in _list(_dict(old).get("drivers"))}
    new_drivers = {str(_dict(d).get("component")): d for d in _list(_dict(new).get("drivers"))}
    for name in sorted(set(new_drivers) - set(old_drivers)):
        changes.append(FieldChange("cost.drivers", "added", f"cost driver added: {name}", None, new_drivers[name]))
    for name in sorted(set(old_drivers) - set(new_drivers)):
        changes.append(FieldChange("cost.drivers", "removed", f"cost driver removed: {name}", old_drivers[name]))
    for name in sorted(set(old_drivers) & set(new_drivers)):
        if old_drivers[name] != new_drivers[name]:
            changes.append(FieldChange("cost.drivers", "changed", f"cost driver {name} edited "
                                       f"({_size(old_drivers[name], new_drivers[name])})",
                                       old_drivers[name], new_drivers[name]))
    return changes


def _relation_key(relation: Any) -> tuple[str, str]:
    relation = _dict(relation)
    return str(relation.get("type")), str(relation.get("pattern"))


def _relation_changes(old: Any, new: Any, head_slugs: set[str], base_slugs: set[str]) -> list[FieldChange]:
    """Relations added and removed, and those this change broke: new ones to a missing
    pattern, or old ones whose target this change removed (not those broken already)."""
    old_keys = {_relation_key(r) for r in _list(old)}
    new_keys = {_relation_key(r) for r in _list(new)}
    changes = [FieldChange("relations", "added", f"relation added: {kind} {target}", None,
                           {"type": kind, "pattern": target}) for kind, target in sorted(new_keys - old_keys)]
    changes += [FieldChange("relations", "removed", f"relation removed: {kind} {target}",
                            {"type": kind, "pattern": target}) for kind, target in sorted(old_keys - new_keys)]
    changes += [FieldChange("relations", "broken", f"relation broken: {kind} {target}, which is not in the catalogue",
                            None, {"type": kind, "pattern": target})
                for kind, target in sorted(new_keys)
                if target not in head_slugs and ((kind, target) not in old_keys or target in base_slugs)]
    return changes


def _short_ref(ref: Any) -> str:
    """A commit SHA as git shows it short; tags and branches as written."""
    if not ref:
        return "(none)"
    return str(ref)[:10] if re.fullmatch(r"[0-9a-f]{40}", str(ref)) else str(ref)


def _repository_changes(old: Any, new: Any) -> list[FieldChange]:
    def key(repository: Any) -> tuple[str, str]:
        repository = _dict(repository)
        return str(repository.get("url")), str(repository.get("path") or "")

    before = {key(r): _dict(r) for r in _list(old)}
    after = {key(r): _dict(r) for r in _list(new)}
    by_url_before = {url: r for (url, _), r in before.items()}
    changes: list[FieldChange] = []
    for url_path in sorted(set(after) - set(before)):
        url = url_path[0]
        if url in by_url_before and sum(1 for u, _ in after if u == url) == 1:
            previous = by_url_before[url]
            changes.append(FieldChange("repositories", "moved", f"repository {url} path "
                                       f"{previous.get('path') or '/'} → {after[url_path].get('path') or '/'}",
                                       previous.get("path"), after[url_path].get("path")))
            continue
        changes.append(FieldChange("repositories", "added", f"repository added: {url}", None, after[url_path]))
    for url_path in sorted(set(before) - set(after)):
        url = url_path[0]
        if not any(u == url for u, _ in after) or sum(1 for u, _ in before if u == url) > 1:
            changes.append(FieldChange("repositories", "removed", f"repository removed: {url}", before[url_path]))
    for url_path in sorted(set(before) & set(after)):
        old_repository, new_repository = before[url_path], after[url_path]
        if old_repository.get("ref") != new_repository.get("ref"):
            was, now = _short_ref(old_repository.get("ref")), _short_ref(new_repository.get("ref"))
            changes.append(FieldChange("repositories", "moved", f"repository {url_path[0]} ref moved: {was} → {now}",
                                       old_repository.get("ref"), new_repository.get("ref")))
        rest = sorted(k for k in set(old_repository) | set(new_repository)
                      if k not in ("ref", "url", "path") and old_repository.get(k) != new_repository.get(k))
        if rest:
            changes.append(FieldChange("repositories", "changed", f"repository {url_path[0]}: {', '.join(rest)} "
                                       f"changed", {k: old_repository.get(k) for k in rest},
                                       {k: new_repository.get(k) for k in rest}))
    return changes


def _solution_changes(old: Any, new: Any) -> list[FieldChange]:
    before, after = level_two_sections(str(old or "")), level_two_sections(str(new or ""))
    changes: list[FieldChange] = []
    for title in after:
        if title not in before:
            changes.append(FieldChange(f"solution.{title}", "added", f"prose section “{title}” added "
                                       f"({len(after[title].split())} words)", None, len(after[title].split())))
        elif before[title] != after[title]:
            changes.append(FieldChange(f"solution.{title}", "changed", f"prose section “{title}” changed "
                                       f"({_size(before[title], after[title])})",
                                       len(before[title].split()), len(after[title].split())))
    for title in before:
        if title not in after:
            changes.append(FieldChange(f"solution.{title}", "removed", f"prose section “{title}” removed "
                                       f"({len(before[title].split())} words)", len(before[title].split())))
    if not changes and str(old or "").strip() != str(new or "").strip():
        changes.append(FieldChange("solution", "changed", f"solution prose changed ({_size(old, new)})"))
    return changes


def _adoption_changes(slug: str, old: Any, new: Any) -> list[FieldChange]:
    """A ring move in the words every output uses ("saga: trial → adopt"), then the rest of the block."""
    before, after = _dict(old), _dict(new)
    if before == after:
        return []
    if not before:
        return [FieldChange("adoption", "added", f"adoption added: {after.get('ring')}", None, after)]
    if not after:
        return [FieldChange("adoption", "removed", f"adoption removed (was {before.get('ring')})", before, None)]
    changes: list[FieldChange] = []
    if before.get("ring") != after.get("ring"):
        changes.append(FieldChange("adoption.ring", "moved",
                                   ring_move_text(slug, str(before.get("ring")), str(after.get("ring"))),
                                   before.get("ring"), after.get("ring")))
    rest = sorted(k for k in set(before) | set(after) if k != "ring" and before.get(k) != after.get(k))
    if rest:
        changes.append(FieldChange("adoption", "changed", f"adoption {', '.join(rest)} changed",
                                   {k: before.get(k) for k in rest}, {k: after.get(k) for k in rest}))
    return changes


#: Fields with their own comparison above; everything else gets a generic one.
_SPECIAL = {"slug", "title", "summary", "status", "superseded_by", "last_reviewed", "failure_edges", "cost",
            "relations", "repositories", "solution", "adoption"}


def _generic_change(name: str, old: Any, new: Any) -> FieldChange:
    if isinstance(old, list) and isinstance(new, list):
        added = sum(1 for item in new if item not in old)
        removed = sum(1 for item in old if item not in new)
        detail = f"+{added}/−{removed} items" if added or removed else "reordered"
        return FieldChange(name, "changed", f"{name} changed ({detail}; {_size(old, new)})", old, new)
    if isinstance(old, str | int | float) and isinstance(new, str | int | float) and len(str(old)) + len(str(new)) < 80:
        return FieldChange(name, "changed", f"{name}: {old} → {new}", old, new)
    if old is None:
        return FieldChange(name, "added", f"{name} added ({_size(None, new)})", None, new)
    if new is None:
        return FieldChange(name, "removed", f"{name} removed", old, None)
    return FieldChange(name, "changed", f"{name} changed ({_size(old, new)})", old, new)


def compare_pattern(old: dict[str, Any], new: dict[str, Any], head_slugs: set[str],
                    base_slugs: set[str]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for name in ("title", "summary"):
        if old.get(name) != new.get(name):
            changes.append(FieldChange(name, "changed", f"{name}: “{old.get(name)}” → “{new.get(name)}”",
                                       old.get(name), new.get(name)))
    if old.get("status") != new.get("status"):
        changes.append(FieldChange("status", "changed", f"status {old.get('status')} → {new.get('status')}",
                                   old.get("status"), new.get("status")))
    if old.get("superseded_by") != new.get("superseded_by"):
        changes.append(FieldChange("superseded_by", "changed", f"superseded by {old.get('superseded_by') or '(none)'}"
                                   f" → {new.get('superseded_by') or '(none)'}", old.get("superseded_by"),
                                   new.get("superseded_by")))
    if old.get("last_reviewed") != new.get("last_reviewed"):
        changes.append(FieldChange("last_reviewed", "changed", f"re-reviewed: {old.get('last_reviewed')} → "
                                   f"{new.get('last_reviewed')}", old.get("last_reviewed"), new.get("last_reviewed")))
    changes += _edge_changes(_list(old.get("failure_edges")), _list(new.get("failure_edges")))
    changes += _cost_changes(old.get("cost"), new.get("cost"))
    changes += _relation_changes(old.get("relations"), new.get("relations"), head_slugs, base_slugs)
    changes += _repository_changes(old.get("repositories"), new.get("repositories"))
    changes += _solution_changes(old.get("solution"), new.get("solution"))
    changes += _adoption_changes(str(new.get("slug") or old.get("slug")), old.get("adoption"), new.get("adoption"))
    for name in sorted((set(old) | set(new)) - _SPECIAL):
        if old.get(name) != new.get(name):
            changes.append(_generic_change(name, old.get(name), new.get(name)))
    return changes


def kind_named_in(data: dict[str, Any]) -> str:
    """A bundle's kind as it says it (raw YAML of an invalid bundle may say anything, or leave it out)."""
    return str(data.get("kind") or DEFAULT_KIND)


def _card(data: dict[str, Any]) -> dict[str, Any]:
    return {"slug": data.get("slug"), "kind": kind_named_in(data), "title": data.get("title"),
            "status": data.get("status"), "summary": data.get("summary")}


def _fingerprint(data: dict[str, Any]) -> str:
    return " ".join(str(data.get(k) or "") for k in ("title", "summary", "solution"))


def diff_catalogues(base: Side, head: Side) -> CatalogueDiff:
    result = CatalogueDiff(base, head)
    head_slugs, base_slugs = set(head.patterns), set(base.patterns)
    removed = sorted(set(base.patterns) - set(head.patterns))
    added = sorted(set(head.patterns) - set(base.patterns))
    # Best pairs first, so a near-copy added beside a renamed bundle does not take its place;
    # the same title is the strongest sign of a rename.
    pairs = []
    for new_slug in added:
        for old_slug in removed:
            old, new = base.patterns[old_slug], head.patterns[new_slug]
            score = 2.0 if old.get("title") == new.get("title") else _similarity(_fingerprint(old), _fingerprint(new))
            if score >= RENAME_SIMILARITY:
                pairs.append((score, new_slug, old_slug))
    renames: dict[str, str] = {}
    for _, new_slug, old_slug in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if new_slug not in renames and old_slug not in renames.values():
            renames[new_slug] = old_slug
    for new_slug, old_slug in sorted(renames.items()):
        new = head.patterns[new_slug]
        entry = PatternChanges(new_slug, str(new.get("title")), renamed_from=old_slug, kind=kind_named_in(new))
        entry.changes = compare_pattern(base.patterns[old_slug], new, head_slugs, base_slugs)
        result.changed.append(entry)
    result.added = [_card(head.patterns[s]) for s in added if s not in renames]
    result.removed = [_card(base.patterns[s]) for s in removed if s not in renames.values()]
    for slug in sorted(set(base.patterns) & set(head.patterns)):
        changes = compare_pattern(base.patterns[slug], head.patterns[slug], head_slugs, base_slugs)
        if changes:
            result.changed.append(PatternChanges(slug, str(head.patterns[slug].get("title")), changes,
                                                 kind=kind_named_in(head.patterns[slug])))
        else:
            result.unchanged += 1
    # A removal can break relations in patterns that did not change themselves.
    edited = {c.slug for c in result.changed}
    for slug in sorted(head_slugs - edited - set(added)):
        broken = [FieldChange("relations", "broken", f"relation broken: {kind} {target}, which is not in the "
                              "catalogue", None, {"type": kind, "pattern": target})
                  for kind, target in sorted({_relation_key(r) for r in _list(head.patterns[slug].get("relations"))})
                  if target not in head_slugs and target in base_slugs]
        if broken:
            result.changed.append(PatternChanges(slug, str(head.patterns[slug].get("title")), broken,
                                                 kind=kind_named_in(head.patterns[slug])))
            result.unchanged -= 1
    result.changed.sort(key=lambda c: (c.renamed_from is None, c.slug))
    result.vocabulary = _vocabulary_changes(base.vocabulary, head.vocabulary)
    return result


def _vocabulary_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Closed vocabularies in ``catalogue.yaml``: what a pattern may now name, or no longer may."""
    changes: list[FieldChange] = []
    for name in ("categories", "tags", "symptoms", "series", "repository_hosts"):
        def ids(document: dict[str, Any], name: str = name) -> dict[str, Any]:
            return {str(_dict(item).get("id")) if isinstance(item, dict) else str(item): item
                    for item in _list(document.get(name))}

        before, after = ids(old), ids(new)
        changes += [FieldChange(name, "added", f"{name}: {key} added", None, after[key])
                    for key in sorted(set(after) - set(before))]
        changes += [FieldChange(name, "removed", f"{name}: {key} removed", before[key])
                    for key in sorted(set(before) - set(after))]
        for key in sorted(set(before) & set(after)):
            if before[key] == after[key]:
                continue
            if name == "series" and _dict(before[key]).get("patterns") != _dict(after[key]).get("patterns"):
                changes.append(FieldChange(name, "changed", f"series {key}: patterns "
                                           f"{', '.join(map(str, _list(_dict(before[key]).get('patterns'))))} → "
                                           f"{', '.join(map(str, _list(_dict(after[key]).get('patterns'))))}",
                                           _dict(before[key]).get("patterns"), _dict(after[key]).get("patterns")))
            else:
                size = _size(before[key], after[key])
                changes.append(FieldChange(name, "changed", f"{name}: {key} reworded ({size})",
                                           before[key], after[key]))
    return changes


# --- reporting ----------------------------------------------------------------------

