"""``patternbook check-links``: do the companion repositories still answer?

Opt-in and polite: results are cached for a week, requests are spaced out, and
a machine without network skips the check with a note instead of failing.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LinkResult", "check_urls"]

CACHE_SECONDS = 7 * 24 * 3600
USER_AGENT = "patternbook-check-links (+https://github.com/patternbook/patternbook)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None
    """HTTP status, or ``None`` when the network was unreachable."""
    cached: bool = False

    @property
    def broken(self) -> bool:
        return self.status is not None and self.status >= 400


def _request(url: str, timeout: float) -> int | None:
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError):
        return None


def check_urls(urls: Iterable[str], cache_file: Path, *, delay: float = 1.0, timeout: float = 10.0,
               now: Callable[[], float] = time.time) -> list[LinkResult]:
    """Check each URL once (cache first), at most one request per ``delay`` seconds.

    Stops at the first unreachable network: the rest are reported as skipped.
    """
    try:
        cache: dict[str, dict] = json.loads(cache_file.read_text())
    except (OSError, ValueError):
        cache = {}
    results: list[LinkResult] = []
    offline = False
    last_request = 0.0
    for url in sorted(set(urls)):
        entry = cache.get(url)
        if entry and now() - entry.get("checked", 0) < CACHE_SECONDS:
            results.append(LinkResult(url, entry["status"], cached=True))
            continue
        if offline:
            results.append(LinkResult(url, None))
            continue
        wait = delay - (time.monotonic() - last_request)
        if wait > 0:
            time.sleep(wait)
        last_request = time.monotonic()
        status = _request(url, timeout)
        if status is None:
            offline = True
        else:
            cache[url] = {"status": status, "checked": now()}
        results.append(LinkResult(url, status))
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps(cache, indent=1, sort_keys=True))
    return results
