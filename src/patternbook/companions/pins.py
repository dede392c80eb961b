"""Is every companion repository still what its page says?

Each ``repositories`` entry pins a commit (``ref``) at which its description was
read. This asks the host's API, per entry, whether the repository still exists,
whether the pinned commit is still in it, and whether ``path`` exists at that
commit; then how many commits the default branch has moved since the pin (and
how many files under ``path`` changed), so maintainers know what to re-read.

Opt-in and polite: answers are cached for a week, requests are spaced out, and a
machine without network skips the check with a note instead of failing. The API
base URL is a parameter so tests can point it at a local HTTP server that plays
back recorded answers; ``GITHUB_TOKEN``, when set, raises GitHub's rate limit.

The retired-runtime scan of the same entries lives in :mod:`patternbook.companions.runtimes`,
and :mod:`patternbook.companions.report` writes both as one report.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from patternbook.companions.entries import PinnedEntry

__all__ = ["CACHE_SECONDS", "DEFAULT_API_URL", "EntryResult", "PinnedEntry", "check_entries"]

CACHE_SECONDS = 7 * 24 * 3600
DEFAULT_API_URL = "https://api.github.com"
USER_AGENT = "patternbook-check-links (+https://github.com/patternbook/patternbook)"


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
        where = self.entry.where
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
