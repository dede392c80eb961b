"""Lighthouse scores of the built library: home, a pattern page, the patterns directory.

    (cd benchmarks && npm ci)          # Lighthouse 12.x, pinned by benchmarks/package-lock.json
    python benchmarks/bench_lighthouse.py [--site DIR] [--runs 3]

Builds the shipped catalogue (or takes an already built ``--site``), serves it
from 127.0.0.1 with gzip as a static host would, and runs Lighthouse's
performance, accessibility, best-practices and SEO categories on Debian's
Chromium (``CHROME_PATH=/usr/bin/chromium``), desktop preset. Prints the median
score of each category over ``--runs`` runs. Targets: performance >= 95,
accessibility, best practices and SEO 100.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {"home": "", "pattern page": "patterns/circuit-breaker/", "patterns directory": "discover/patterns/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".pagefind", ".pf_meta")


class GzipStaticHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: files as they are, text compressed when the browser accepts gzip."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if (not path.is_file() or not str(path).endswith(COMPRESSIBLE)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io

        return io.BytesIO(body)


def build_site(target: Path) -> Path:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(target)],
                            cwd=ROOT, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stderr[-3000:]}")
    return target


def lighthouse(url: str) -> dict[str, float]:
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: run `npm ci` in benchmarks/")
    environment = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    result = subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout", "--preset=desktop",
         "--only-categories=" + ",".join(CATEGORIES),
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --no-first-run"],
        capture_output=True, text=True, env=environment, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"Lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failed = [audit["id"] for audit in report["audits"].values()
              if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") in
              ("binary", "numeric") and any(audit["id"] in [ref["id"] for ref in report["categories"][c]["auditRefs"]
                                                            if ref.get("weight")] for c in CATEGORIES[1:])]
    scores["failing audits"] = failed  # type: ignore[assignment]
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the shipped catalogue)")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="patternbook-lighthouse-") as scratch:
        site = arguments.site or build_site(Path(scratch) / "site")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                 functools.partial(GzipStaticHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores; {time.strftime('%Y-%m-%d')}; "
              f"Lighthouse on /usr/bin/chromium, desktop preset, median of {arguments.runs} runs\n")
        print(f"{'page':<20} " + " ".join(f"{c:>15}" for c in CATEGORIES))
        try:
            for name, path in PAGES.items():
                runs = [lighthouse(base + path) for _ in range(arguments.runs)]
                medians = {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}
                print(f"{name:<20} " + " ".join(f"{medians[c]:>15.0f}" for c in CATEGORIES))
                failing = sorted({audit for r in runs for audit in r["failing audits"]})
                if failing:
                    print(f"{'':<20} below 100 because of: {', '.join(failing)}")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
