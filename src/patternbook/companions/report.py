"""The ``patternbook check-links`` report: the link check and the retired-runtime scan in one,
as text for a terminal, Markdown for the weekly issue, or JSON for tools. Catalogue and
sample text in it is data: terminal text, Markdown table cells, ASCII JSON."""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict

from patternbook.companions.pins import EntryResult
from patternbook.companions.runtimes import ScanResult
from patternbook.escaping import terminal_text

__all__ = ["REPORT_FORMATS", "needs_action", "render_report"]


#: The formats ``check-links --format`` writes: text for a terminal, markdown for the weekly
#: issue's body, json for tools.
REPORT_FORMATS = ("text", "markdown", "json")


def _cell(value: str) -> str:
    """Text from a bundle or a companion repository (a file name can hold anything) in a table cell."""
    from patternbook.escaping import markdown_inline

    return str(markdown_inline(" ".join(value.splitlines())))


def needs_action(links: list[EntryResult], scans: list[ScanResult]) -> bool:
    """A broken entry, or a retired runtime a pattern's page does not mention."""
    return any(r.broken for r in links) or any(s.unflagged for s in scans)


def render_report(links: list[EntryResult], scans: list[ScanResult], output_format: str, *,
                  on: datetime.date) -> str:
    """The whole check-links report in one format."""
    from patternbook.schema.retired_runtimes import retired_runtime_list

    list_checked = retired_runtime_list().checked
    if output_format == "json":
        # ASCII with \u escapes: catalogue text never reaches a terminal raw.
        return json.dumps(_report_document(links, scans, on, list_checked), indent=2, ensure_ascii=True) + "\n"
    if output_format == "markdown":
        return _report_markdown(links, scans, on, list_checked)
    lines = [r.describe() for r in links] + [line for s in scans for line in s.describe()]
    skipped = sum(1 for r in links if r.skipped)
    moved = sum(1 for r in links if r.ahead_by)
    lines.append(f"{len(links) - skipped} of {len(links)} entries checked, {sum(r.broken for r in links)} broken, "
                 f"{moved} with a default branch that moved since the pin")
    if scans:
        found = [f for s in scans for f in s.findings]
        lines.append(f"retired runtimes on {on.isoformat()} (list of {list_checked.isoformat()}): {len(found)} found "
                     f"in {sum(1 for s in scans if s.findings)} of {len(scans)} entries, "
                     f"{sum(len(s.unflagged) for s in scans)} not flagged on their page, "
                     f"{sum(1 for s in scans if s.skipped)} not scanned")
    # Repository URLs, paths and file names come from the catalogue and the samples.
    return "".join(terminal_text(line) + "\n" for line in lines)


def _report_document(links: list[EntryResult], scans: list[ScanResult], on: datetime.date,
                     list_checked: datetime.date) -> dict:
    def entry(pattern: str, url: str, ref: str, path: str | None) -> dict:
        return {"pattern": pattern, "url": url, "ref": ref, "path": path}

    return {
        "checked_on": on.isoformat(),
        "retired_runtime_list_checked": list_checked.isoformat(),
        "needs_action": needs_action(links, scans),
        "links": [{**entry(r.entry.pattern, r.entry.url, r.entry.ref, r.entry.path),
                   **{k: v for k, v in asdict(r).items() if k != "entry"}} for r in links],
        "runtimes": [{**entry(s.target.pattern, s.target.url, s.target.ref, s.target.path),
                      "flagged": list(s.target.flagged), "skipped": s.skipped, "files_scanned": s.files_scanned,
                      "findings": [{"file": f.file, "line": f.line, "runtime": f.runtime.id, "name": f.runtime.name,
                                    "provider": f.runtime.provider, "retired": f.runtime.retired.isoformat(),
                                    "source": f.runtime.source, "flagged": f.runtime.id in s.target.flagged}
                                   for f in s.findings],
                      "flags_not_found": s.unseen_flags} for s in scans],
    }


def _report_markdown(links: list[EntryResult], scans: list[ScanResult], on: datetime.date,
                     list_checked: datetime.date) -> str:
    broken = [r for r in links if r.broken]
    findings = [(s, f) for s in scans for f in s.findings]
    unflagged = sum(len(s.unflagged) for s in scans)
    lines = ["## Companion repositories", "",
             f"Checked on {on.isoformat()} by `patternbook check-links`, against Patternbook's list of retired "
             f"runtimes (dates last compared with the providers' sources on {list_checked.isoformat()}).", ""]
    if needs_action(links, scans):
        lines += [f"**Needs action:** {len(broken)} broken entr{'y' if len(broken) == 1 else 'ies'}, {unflagged} "
                  "retired runtime(s) the pattern's page does not mention. Fix the bundle (re-pin `ref`, or add the "
                  "runtime's id to the entry's `retired_runtimes` so the page says so) or the sample.", ""]
    else:
        lines += ["Nothing needs action.", ""]
    if broken:
        lines += ["### Broken entries", "", "| Pattern | Repository | Commit | Problem |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(r.entry.pattern)} | {_cell(r.entry.url)} | `{r.entry.ref[:7]}` | "
                  f"{_cell(r.problem or '')} |" for r in broken]
        lines.append("")
    if findings:
        lines += ["### Retired runtimes in samples", "",
                  "| Pattern | Repository | File | Runtime | Retired since | On the page |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for scan, finding in findings:
            runtime = finding.runtime
            shown = "flagged" if runtime.id in scan.target.flagged else "**not flagged**"
            lines.append(f"| {_cell(scan.target.pattern)} | {_cell(scan.target.url)}@`{scan.target.ref[:7]}` | "
                         f"{_cell(finding.file)}:{finding.line} | {_cell(runtime.title)} | "
                         f"[{runtime.retired.isoformat()}]({runtime.source}) | {shown} |")
        lines.append("")
    unseen = [(s, flag) for s in scans for flag in s.unseen_flags]
    if unseen:
        lines += ["### Flags the scan found no trace of", ""]
        lines += [f"- {_cell(s.target.pattern)}: `{_cell(flag)}` at {_cell(s.target.url)}@`{s.target.ref[:7]}`"
                  for s, flag in unseen]
        lines.append("")
    not_checked = [(r.entry.pattern, r.entry.url, f"link: {r.skipped}") for r in links if r.skipped]
    not_checked += [(s.target.pattern, s.target.url, f"runtimes: {s.skipped}") for s in scans if s.skipped]
    if not_checked:
        lines += ["### Not checked", ""]
        lines += [f"- {_cell(pattern)} ({_cell(url)}): {_cell(reason)}" for pattern, url, reason in not_checked]
        lines.append("")
    moved = [r for r in links if r.ahead_by]
    lines.append(f"{len(links)} entries; {len(moved)} with a default branch that moved since the pin.")
    return "\n".join(lines) + "\n"
