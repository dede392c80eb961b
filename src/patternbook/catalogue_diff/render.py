"""The comparison as text for CI logs, Markdown for a pull request's job summary, or JSON."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from patternbook.catalogue_diff.model import CatalogueDiff, Side
from patternbook.escaping import escape_gfm_text, terminal_text
from patternbook.schema.kinds import DEFAULT_KIND

#: The output formats of ``patternbook diff``, in the order ``--format`` lists them.
Format = Literal["text", "markdown", "json"]


def _side_label(side: Side) -> str:
    return f"{side.label} ({side.commit[:10]})" if side.commit and side.commit[:10] not in side.label else side.label


def _counts(diff: CatalogueDiff) -> str:
    return (f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.renamed)} renamed, "
            f"{len(diff.changed) - len(diff.renamed)} changed, {diff.unchanged} unchanged")


#: Problems listed per bundle in a report; ``patternbook validate`` lists them all.
PROBLEMS_SHOWN = 3


def _problems_in_head(diff: CatalogueDiff) -> list[tuple[str, list[str]]]:
    """(bundle folder or catalogue entry, its first problems) for everything the head's build refuses."""
    head = diff.head
    rows = []
    for owner in sorted(set(head.invalid) | set(head.problems)):
        problems = list(head.problems.get(owner, ()))
        shown = problems[:PROBLEMS_SHOWN] or ["does not validate"]
        if len(problems) > PROBLEMS_SHOWN:
            shown.append(f"and {len(problems) - PROBLEMS_SHOWN} more")
        rows.append((owner, shown))
    return rows


#: Characters that end a line for a terminal or a CI log reader.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _text_line(line: str) -> str:
    """One line of the text format as a terminal or a CI runner will read it.

    Contributor text inside it cannot start another line (line breaks become
    spaces), cannot drive the terminal (:func:`~patternbook.escaping.terminal_text`:
    ESC and every other control or invisible character becomes ``?``), and cannot be a workflow command: the
    GitHub Actions runner obeys ``::command::`` at the start of a line (after
    any leading white space) and ``##[command]`` anywhere in one, so those
    get a space that breaks them.
    """
    line = terminal_text(_LINE_BREAKS.sub(" ", line))
    indent = line[:len(line) - len(line.lstrip())]
    if line.lstrip().startswith("::"):
        line = indent + ": " + line.lstrip()[1:]
    return line.replace("##[", "## [")


def _named_kind(kind: Any) -> str:
    """``, anti-pattern`` to name a kind other than the default in a report line; nothing for a pattern."""
    return "" if kind == DEFAULT_KIND else f", {kind}"


def _render_text(diff: CatalogueDiff) -> str:
    lines = [f"catalogue changes from {_side_label(diff.base)} to {_side_label(diff.head)}: {_counts(diff)}"]
    for card in diff.added:
        lines.append(f"+ {card['slug']}: added ({card['title']}{_named_kind(card['kind'])}, {card['status']})")
    for card in diff.removed:
        lines.append(f"- {card['slug']}: removed ({card['title']}{_named_kind(card['kind'])})")
    for entry in diff.changed:
        head = f"~ {entry.slug}: renamed from {entry.renamed_from}" if entry.renamed_from else f"~ {entry.slug}"
        head += f" ({entry.kind})" if entry.kind != DEFAULT_KIND else ""
        lines.append(head)
        lines += [f"    {change.message}" for change in entry.changes]
    lines += [f"* catalogue.yaml: {change.message}" for change in diff.vocabulary]
    for owner, problems in _problems_in_head(diff):
        lines.append(f"! {owner}: does not validate in {_side_label(diff.head)}")
        lines += [f"    {problem}" for problem in problems]
    return "\n".join(_text_line(line) for line in lines) + "\n"


def _render_markdown(diff: CatalogueDiff) -> str:
    """The job summary. Contributor text (titles, summaries, folder names, refs, field names and
    values inside messages) goes through :func:`escape_gfm_text` and nowhere else: never into a
    code span, where escapes do not work, and never at the start of a line."""
    gfm = escape_gfm_text
    lines = [f"## Catalogue changes: {gfm(_side_label(diff.base))} → {gfm(_side_label(diff.head))}", "",
             f"{_counts(diff)}.", ""]
    if diff.empty:
        lines += ["No pattern changed.", ""]
    if diff.added:
        lines += ["### Added", ""] + [f"- **{gfm(c['title'])}** ({gfm(c['slug'])}{gfm(_named_kind(c['kind']))}, "
                                      f"{gfm(c['status'])}) — {gfm(c['summary'])}" for c in diff.added] + [""]
    if diff.removed:
        lines += ["### Removed", ""] + [f"- **{gfm(c['title'])}** ({gfm(c['slug'])}{gfm(_named_kind(c['kind']))})"
                                        for c in diff.removed] + [""]
    if diff.changed:
        lines += ["### Changed", ""]
        for entry in diff.changed:
            renamed = f" — renamed from {gfm(entry.renamed_from)}" if entry.renamed_from else ""
            lines.append(f"#### {gfm(entry.title)} ({gfm(entry.slug)}{gfm(_named_kind(entry.kind))}){renamed}")
            lines.append("")
            lines += [f"- {gfm(change.message)}" for change in entry.changes] or ["- no field changed"]
            lines.append("")
    if diff.vocabulary:
        lines += ["### Catalogue vocabulary (`catalogue.yaml`)", ""]
        lines += [f"- {gfm(change.message)}" for change in diff.vocabulary] + [""]
    problems = _problems_in_head(diff)
    if problems:
        lines += ["### Not valid in the head (run `patternbook validate`)", ""]
        for owner, found in problems:
            lines.append(f"- **{gfm(owner)}**")
            lines += [f"  - {gfm(problem)}" for problem in found]
        lines.append("")
    return "\n".join(lines)


def diff_document(diff: CatalogueDiff) -> dict[str, Any]:
    def side(s: Side) -> dict[str, Any]:
        return {"ref": s.label, "commit": s.commit, "patterns": len(s.patterns), "invalid": sorted(s.invalid),
                "problems": {owner: list(found) for owner, found in s.problems.items()}}

    return {
        "base": side(diff.base),
        "head": side(diff.head),
        "summary": {"added": len(diff.added), "removed": len(diff.removed), "renamed": len(diff.renamed),
                    "changed": len(diff.changed) - len(diff.renamed), "unchanged": diff.unchanged},
        "added": diff.added,
        "removed": diff.removed,
        "changed": [{"slug": c.slug, "kind": c.kind, "title": c.title, "renamed_from": c.renamed_from,
                     "changes": [{"field": f.field, "kind": f.kind, "message": f.message, "old": f.old, "new": f.new}
                                 for f in c.changes]} for c in diff.changed],
        "vocabulary": [{"field": f.field, "kind": f.kind, "message": f.message, "old": f.old, "new": f.new}
                       for f in diff.vocabulary],
    }


def render_diff(diff: CatalogueDiff, output_format: Format | str = "text") -> str:
    if output_format == "json":
        return json.dumps(diff_document(diff), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if output_format == "markdown":
        return _render_markdown(diff)
    return _render_text(diff)
