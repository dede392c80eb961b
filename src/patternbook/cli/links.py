"""``patternbook check-links``: is every companion repository still what its page says?

Each ``repositories`` entry pins a commit (``ref``) at which its description was
read. This asks the host's API, per entry, whether the repository still exists,
whether the pinned commit is still in it, and whether ``path`` exists at that
commit; then how many commits the default branch has moved since the pin (and
how many files under ``path`` changed), so maintainers know what to re-read.

Opt-in and polite: answers are cached for a week, requests are spaced out, and a
machine without network skips the check with a note instead of failing. The API
base URL is a parameter so tests can point it at a local HTTP server that plays
back recorded answers; ``GITHUB_TOKEN``, when set, raises GitHub's rate limit.

The retired-runtime scan of the same entries lives in :mod:`patternbook.cli.runtime_scan`;
:func:`render_report` writes both as one report (text, Markdown for the weekly issue, JSON).
"""

from __future__ import annotations

import datetime
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patternbook.escaping import terminal_text

if TYPE_CHECKING:
    from patternbook.cli.runtime_scan import ScanResult

__all__ = ["DEFAULT_API_URL", "REPORT_FORMATS", "EntryResult", "PinnedEntry", "check_entries", "needs_action",
           "render_report"]

CACHE_SECONDS = 7 * 24 * 3600
DEFAULT_API_URL = "https://api.github.com"
USER_AGENT = "patternbook-check-links (+https://github.com/patternbook/patternbook)"


@dataclass(frozen=True)
class PinnedEntry:
    """One ``repositories`` entry of one pattern, as check-links needs it."""

    pattern: str
    url: str
    ref: str
    path: str | None = None

    @property
    def key(self) -> str:
        return f"{self.url}@{self.ref}:{self.path or ''}"


@dataclass
class EntryResult:
    """What the host said about one entry.

    ``problem`` is set when the entry is broken (repository, commit or path
    missing); ``skipped`` when it could not be asked (no network, rate limit,
    a host without API support). ``ahead_by`` counts commits on the default
    branch since the pin; ``path_changes`` the changed files under ``path``.
    """

    entry: PinnedEntry
    problem: str | None = None
    skipped: str | None = None
    default_branch: str | None = None
    ahead_by: int | None = None
    behind_by: int | None = None
    path_changes: int | None = None
    cached: bool = field(default=False, compare=False)

    @property
    def broken(self) -> bool:
        return self.problem is not None

    def describe(self) -> str:
        """One line for the report: the entry, then what is wrong or how far it drifted."""
        where = f"{self.entry.pattern}: {self.entry.url.removeprefix('https://')}@{self.entry.ref[:7]}"
        if self.entry.path:
            where += f" {self.entry.path}/"
        if self.problem:
            return f"{where}: BROKEN, {self.problem}"
        if self.skipped:
            return f"{where}: not checked, {self.skipped}"
        if self.ahead_by is None:
            return f"{where}: ok (commit and path exist; drift unknown)"
        if self.ahead_by == 0:
            drift = f"{self.default_branch} has not moved since the pin"
        else:
            drift = f"{self.default_branch} is {self.ahead_by} commit(s) ahead of the pin"
            if self.entry.path and self.path_changes is not None:
                drift += f", {self.path_changes} file(s) changed under {self.entry.path}/"
        if self.behind_by:
            drift += f"; the pin is on a branch {self.behind_by} commit(s) off {self.default_branch}"
        return f"{where}: ok, {drift}{' (cached)' if self.cached else ''}"


class _Offline(Exception):
    """The network (or the API host) cannot be reached: skip the rest."""


class _RateLimited(Exception):
    """The API refused more requests for now: skip the rest, say so."""


class _Api:
    """A spaced-out JSON client for the GitHub REST API (or a stand-in at ``base``)."""

    def __init__(self, base: str, *, delay: float, timeout: float, token: str | None) -> None:
        self.base = base.rstrip("/")
        self.delay = delay
        self.timeout = timeout
        self.token = token
        self._last_request = 0.0

    def get(self, path: str) -> tuple[int, object]:
        wait = self.delay - (time.monotonic() - self._last_request)
        if wait > 0:
            time.sleep(wait)
        self._last_request = time.monotonic()
        headers = {"User-Agent": USER_AGENT, "Accept": "application/vnd.github+json",
                   "X-GitHub-Api-Version": "2022-11-28"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            if error.code == 429 or (error.code == 403 and error.headers.get("X-RateLimit-Remaining") == "0"):
                raise _RateLimited from error
            return error.code, None
        except ValueError:
            return 200, None
        except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as error:
            raise _Offline from error


def _owner_and_name(url: str) -> tuple[str, str] | None:
    parsed = urllib.parse.urlsplit(url)
    if parsed.hostname != "github.com":
        return None
    parts = parsed.path.strip("/").removesuffix(".git").split("/")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="/")


def _check_one(api: _Api, entry: PinnedEntry, repositories: dict[str, tuple[int, object]]) -> EntryResult:
    owner_and_name = _owner_and_name(entry.url)
    if owner_and_name is None:
        return EntryResult(entry, skipped="only github.com repositories can be checked")
    repo = "/repos/{}/{}".format(*map(_quote, owner_and_name))
    if repo not in repositories:
        repositories[repo] = api.get(repo)
    status, body = repositories[repo]
    if status == 404:
        return EntryResult(entry, problem="repository not found")
    if status != 200 or not isinstance(body, dict):
        return EntryResult(entry, skipped=f"the API answered HTTP {status} for the repository")
    default_branch = str(body.get("default_branch") or "")

    status, _ = api.get(f"{repo}/commits/{entry.ref}")
    if status in (404, 422):
        return EntryResult(entry, problem=f"commit {entry.ref} is not in the repository",
                           default_branch=default_branch)
    if status != 200:
        return EntryResult(entry, skipped=f"the API answered HTTP {status} for the commit")

    if entry.path:
        status, _ = api.get(f"{repo}/contents/{_quote(entry.path)}?ref={entry.ref}")
        if status == 404:
            return EntryResult(entry, problem=f"path {entry.path}/ does not exist at commit {entry.ref[:7]}",
                               default_branch=default_branch)
        if status != 200:
            return EntryResult(entry, skipped=f"the API answered HTTP {status} for the path")

    result = EntryResult(entry, default_branch=default_branch)
    if default_branch:
        status, compare = api.get(f"{repo}/compare/{entry.ref}...{_quote(default_branch)}")
        if status == 200 and isinstance(compare, dict):
            result.ahead_by = int(compare.get("ahead_by") or 0)
            result.behind_by = int(compare.get("behind_by") or 0)
            if entry.path:
                prefix = entry.path.strip("/") + "/"
                files = compare.get("files") or []
                result.path_changes = sum(1 for changed in files if isinstance(changed, dict)
                                          and str(changed.get("filename", "")).startswith(prefix))
    return result


def check_entries(entries: Iterable[PinnedEntry], cache_file: Path, *, api_url: str = DEFAULT_API_URL,
                  delay: float = 1.0, timeout: float = 10.0, token: str | None = None,
                  now: Callable[[], float] = time.time) -> list[EntryResult]:
    """Check each entry once (cache first), at most one request per ``delay`` seconds.

    Stops asking at the first unreachable network or rate limit: the remaining
    entries are reported as skipped, never as broken. Only answers are cached,
    never a skip, so the next run asks again.
    """
    if token is None:
        token = os.environ.get("GITHUB_TOKEN") or None
    try:
        cache: dict[str, dict] = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    api = _Api(api_url, delay=delay, timeout=timeout, token=token)
    repositories: dict[str, tuple[int, object]] = {}
    results: list[EntryResult] = []
    stop_reason: str | None = None
    for entry in sorted(set(entries), key=lambda e: (e.pattern, e.url, e.path or "")):
        cached = cache.get(f"{api.base} {entry.key}")
        if cached and now() - cached.get("checked", 0) < CACHE_SECONDS:
            answer = {k: v for k, v in cached.items() if k != "checked"}
            results.append(EntryResult(entry, cached=True, **answer))
            continue
        if stop_reason:
            results.append(EntryResult(entry, skipped=stop_reason))
            continue
        try:
            result = _check_one(api, entry, repositories)
        except _Offline:
            stop_reason = "network unreachable"
            result = EntryResult(entry, skipped=stop_reason)
        except _RateLimited:
            stop_reason = "API rate limit reached (set GITHUB_TOKEN to raise it)"
            result = EntryResult(entry, skipped=stop_reason)
        if not result.skipped:
            answer = {k: v for k, v in asdict(result).items() if k not in {"entry", "cached", "skipped"}}
            cache[f"{api.base} {entry.key}"] = {**answer, "checked": now()}
        results.append(result)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps(cache, indent=1, sort_keys=True))
    return results


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
