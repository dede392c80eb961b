"""Site builds at scale: ours against plain Material, page weight, rebuilds.

    python benchmarks/bench_site.py [--sizes 100 1000] [--runs 3]

For each catalogue size N, in one run:
  * cold build with the plugin (empty diagram cache) and warm rebuild (nothing changed);
  * the same pages exported (`patternbook export`) and built by plain MkDocs +
    Material with its default full navigation, and with `navigation.prune` — Material
    as it ships, with its own search plugin and search box;
  * HTML bytes per pattern page and Material's search-index bytes per pattern;
  * in Chromium (Debian's, through Playwright): every byte a reader's browser fetches to
    open a pattern page (HTML, CSS, JS, fonts, diagram SVGs), then to get the first
    results for a query, ours (Pagefind) beside Material's (lunr) on the same pages.
    Bytes are gzip sizes (level 6) of each fetched file, as a static host serves them.
Wall clock of whole `mkdocs build` processes, and their CPU time (user + system of the
build and every process it waited for: `dot`, Pagefind, validation workers), median of
--runs; ours and Material alternate within each run, so both see the same load. CPU time
is the steadier figure on a shared machine. Prints ratios of both.

    python benchmarks/bench_site.py --sizes 1000 --runs 3 --cold-only   # the build ratio alone
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_catalogue  # noqa: E402

ENVIRONMENT = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1795000000"}


def _project(work: Path, count: int) -> Path:
    project = work / f"library-{count}"
    project.mkdir()
    for part in ("templates", "docs", "site_overrides"):
        shutil.copytree(ROOT / part, project / part)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    write_catalogue(project / "patterns", count)
    return project


def _children_cpu() -> float:
    """User + system seconds of every finished child process of this one (and theirs, when waited for)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: CPU seconds of the last :func:`_build`, beside the wall clock it returns.
LAST_CPU: list[float] = [0.0]


def _build(config: Path, site: Path) -> float:
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                            cwd=config.parent, capture_output=True, text=True, env=ENVIRONMENT)
    elapsed = time.perf_counter() - started
    LAST_CPU[0] = _children_cpu() - cpu
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stderr[-3000:]}")
    return elapsed


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _weights(site: Path) -> tuple[float, float]:
    pages = list((site / "patterns").glob("*/index.html"))
    page_bytes = statistics.median(p.stat().st_size for p in pages)
    index = site / "search" / "search_index.json"
    index_bytes = index.stat().st_size / len(pages) if index.is_file() else 0.0
    return page_bytes, index_bytes


#: The query typed into each search: two words of the synthetic vocabulary, as a reader would.
QUERY = "checkpoint watermark"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


def _gzip_size(site: Path, url: str, cache: dict[str, int]) -> int:
    """The gzip size of the file behind ``url`` (what a static host with compression sends)."""
    import gzip
    from urllib.parse import unquote, urlsplit

    path = unquote(urlsplit(url).path).lstrip("/")
    if path in cache:
        return cache[path]
    target = site / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    size = len(gzip.compress(target.read_bytes(), compresslevel=6)) if target.is_file() else 0
    cache[path] = size
    return size


PAGES_MEASURED = 7


def browser_bytes(site: Path, material: bool) -> tuple[float, int]:
    """(median bytes to open a pattern page over :data:`PAGES_MEASURED` pages, further
    bytes until the first results of :data:`QUERY` on the first of them)."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: dict[str, int] = {}
    page_bytes: list[int] = []
    pattern_pages = sorted(p.parent.name for p in (site / "patterns").glob("*/index.html"))[:PAGES_MEASURED]

    def weight(urls: list[str]) -> int:
        return sum(_gzip_size(site, url, sizes) for url in set(urls) if url.startswith(base))

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            for slug in reversed(pattern_pages):  # the first page, measured last, is the one searched from
                tab = browser.new_context().new_page()
                fetched: list[str] = []
                tab.on("requestfinished", lambda request, into=fetched: into.append(request.url))
                tab.goto(f"{base}patterns/{slug}/")
                tab.wait_for_load_state("networkidle")
                # Material fetches its whole index as the page loads; that belongs to search.
                page_urls = [u for u in fetched if "search_index.json" not in u and "/workers/" not in u]
                page_bytes.append(weight(page_urls))
                if slug != pattern_pages[0]:
                    tab.context.close()
            tab.keyboard.press("/")  # both open search with it (Material's shortcut, and ours)
            tab.keyboard.type(QUERY, delay=30)
            tab.locator(".md-search-result__item" if material else ".pb-search__hit").first.wait_for(
                timeout=120_000)
            tab.wait_for_load_state("networkidle")
            tab.wait_for_timeout(500)
            browser.close()
    finally:
        server.shutdown()
    return statistics.median(page_bytes), weight(fetched) - page_bytes[-1]


def measure_bytes(count: int, work: Path) -> dict[str, float]:
    """Bytes only (no timings): one build of ours and one of plain Material."""
    project = _project(work, count)
    _build(project / "mkdocs.yml", work / f"ours-{count}")
    exported = work / f"exported-{count}"
    subprocess.run([sys.executable, "-m", "patternbook", "export", str(exported)], cwd=project, check=True,
                   capture_output=True, env=ENVIRONMENT)
    _build(_plain_config(exported, prune=False), work / f"full-{count}")
    ours_load, ours_search = browser_bytes(work / f"ours-{count}", material=False)
    full_load, full_search = browser_bytes(work / f"full-{count}", material=True)
    return {"ours_load": ours_load, "ours_search": ours_search, "full_load": full_load, "full_search": full_search}


def _print_bytes(results: dict[int, dict[str, float]]) -> None:
    print(f"\nIn Chromium, gzip bytes fetched (median over {PAGES_MEASURED} pattern pages; query {QUERY!r}):")
    print(f"{'N':>6} {'ours page':>10} {'ours search':>12} {'ours total':>11} {'Material page':>14} "
          f"{'Material search':>16} {'Material total':>15}")
    for count, r in results.items():
        print(f"{count:>6} {r['ours_load'] / 1024:>8.1f}KB {r['ours_search'] / 1024:>10.1f}KB "
              f"{(r['ours_load'] + r['ours_search']) / 1024:>9.1f}KB {r['full_load'] / 1024:>12.1f}KB "
              f"{r['full_search'] / 1024:>14.1f}KB {(r['full_load'] + r['full_search']) / 1024:>13.1f}KB")
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        print(f"bytes to open a pattern page N={sizes[0]}→{sizes[-1]}: ours "
              f"{large['ours_load'] / small['ours_load']:.2f}x (target <= 1.1x)")


def _plain_config(exported: Path, prune: bool) -> Path:
    config = yaml.safe_load((exported / "mkdocs.yml").read_text())
    config.pop("nav", None)  # Material's default: every page in the navigation
    # Material as it ships: its own search plugin, and its header with the search box
    # (Patternbook's header override carries the Pagefind button instead).
    config["plugins"] = ["search", *[p for p in config.get("plugins") or [] if p != "search"]]
    plain_overrides = exported / "overrides-material"
    if not plain_overrides.exists() and (exported / "overrides").is_dir():
        shutil.copytree(exported / "overrides", plain_overrides)
        (plain_overrides / "partials" / "header.html").unlink(missing_ok=True)
        (plain_overrides / "assets" / "javascripts" / "search.js").write_text("")
    if plain_overrides.exists():
        config["theme"]["custom_dir"] = "overrides-material"
    if prune:
        # navigation.sections renders every section open, which defeats pruning; Material's
        # documented pruned setup leaves it out.
        features = [f for f in config["theme"].get("features", []) if f != "navigation.sections"]
        config["theme"]["features"] = [*features, "navigation.prune"]
    target = exported / ("mkdocs-prune.yml" if prune else "mkdocs-full.yml")
    target.write_text(yaml.safe_dump(config, sort_keys=False))
    return target


def measure(count: int, runs: int, work: Path, cold_only: bool = False) -> dict[str, Any]:
    """Builds alternate within each run (ours cold, ours warm, Material, Material pruned), so a
    change of load on a shared machine weighs on both sides; ``cold_only`` skips the warm and
    pruned builds and the browser."""
    project = _project(work, count)
    config = project / "mkdocs.yml"
    exported = work / f"exported-{count}"
    subprocess.run([sys.executable, "-m", "patternbook", "export", str(exported)], cwd=project, check=True,
                   capture_output=True, env=ENVIRONMENT)
    times: dict[str, list[float]] = {name: [] for name in ("cold", "warm", "full", "prune")}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    loads: list[str] = []

    def timed(name: str, config: Path, site: Path) -> None:
        times[name].append(_build(config, site))
        cpu[name].append(LAST_CPU[0])

    for run in range(runs):
        loads.append(_load())
        shutil.rmtree(project / ".cache", ignore_errors=True)
        timed("cold", config, work / f"ours-{count}")
        if not cold_only:
            timed("warm", config, work / f"ours-{count}")
        timed("full", _plain_config(exported, prune=False), work / f"full-{count}")
        if not cold_only:
            timed("prune", _plain_config(exported, prune=True), work / f"prune-{count}")
        print(f"N={count} run {run + 1}: load {loads[-1]}; "
              + ", ".join(f"{name} {times[name][-1]:.1f}s wall {cpu[name][-1]:.1f}s CPU" for name in times
                          if len(times[name]) > run), file=sys.stderr, flush=True)
    result = {name: statistics.median(values) for name, values in times.items() if values}
    result |= {f"{name}_cpu": statistics.median(values) for name, values in cpu.items() if values}
    result["cold_ratios"] = [ours / theirs for ours, theirs in zip(times["cold"], times["full"], strict=True)]
    result["cold_cpu_ratios"] = [ours / theirs for ours, theirs in zip(cpu["cold"], cpu["full"], strict=True)]
    result["loads"] = loads
    if cold_only:
        return result
    ours_page, ours_index = _weights(work / f"ours-{count}")
    full_page, full_index = _weights(work / f"full-{count}")
    prune_page, _ = _weights(work / f"prune-{count}")
    ours_load, ours_search = browser_bytes(work / f"ours-{count}", material=False)
    full_load, full_search = browser_bytes(work / f"full-{count}", material=True)
    return result | {
        "ours_load": ours_load, "ours_search": ours_search, "full_load": full_load, "full_search": full_search,
        "ours_page": ours_page, "full_page": full_page, "prune_page": prune_page,
        "ours_index": ours_index, "full_index": full_index,
    }


def measure_memory(count: int, work: Path) -> tuple[float, float]:
    """Peak resident memory (MB) and wall time of a cold build with ``count`` patterns."""
    import resource

    project = _project(work, count)
    wall = _build(project / "mkdocs.yml", work / f"memory-{count}")
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, wall


def measure_serve(count: int, work: Path) -> tuple[float, int, int]:
    """Seconds from saving an edit to one pattern until `mkdocs serve` shows it, and the
    records in the served search index (patterns, categories, series: none may be lost)."""
    import json
    import socket
    import urllib.request

    project = _project(work, count)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"),
                               "-a", f"127.0.0.1:{port}"], cwd=project, env=ENVIRONMENT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def fetch(path: str) -> str:
        try:
            with urllib.request.urlopen(base + path, timeout=10) as response:
                return response.read().decode()
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 1800
        while "Synthetic pattern 00001" not in fetch("patterns/synthetic-00001/") and time.monotonic() < deadline:
            time.sleep(0.5)
        bundle = project / "patterns" / "synthetic-00001" / "pattern.yaml"
        marker = "Edited summary for the serve benchmark, one line long"
        text = bundle.read_text()
        start = text.index("summary: ")
        end = text.index("\n", start)
        bundle.write_text(text[:start] + f'summary: "{marker}"' + text[end:])
        edited = time.monotonic()
        while marker not in fetch("patterns/synthetic-00001/") and time.monotonic() < deadline:
            time.sleep(0.1)
        latency = time.monotonic() - edited
        # Pagefind's entry counts every record: patterns, categories and series.
        entry = json.loads(fetch("pagefind/pagefind-entry.json") or "{}")
        records = sum(language["page_count"] for language in entry.get("languages", {}).values())
        return latency, records, count
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", type=int, metavar="N", help="only: peak memory of a cold build of N patterns")
    parser.add_argument("--serve", type=int, metavar="N", help="only: edit-to-served latency with N patterns")
    parser.add_argument("--bytes", action="store_true", help="only: page and search bytes in Chromium, no timings")
    parser.add_argument("--cold-only", action="store_true",
                        help="only cold builds, ours and Material with full navigation (no warm, prune or browser)")
    arguments = parser.parse_args()
    if arguments.bytes:
        with tempfile.TemporaryDirectory(prefix="patternbook-site-bench-") as scratch:
            _print_bytes({count: measure_bytes(count, Path(scratch)) for count in arguments.sizes})
        return
    if arguments.memory or arguments.serve:
        with tempfile.TemporaryDirectory(prefix="patternbook-site-bench-") as scratch:
            if arguments.memory:
                peak, wall = measure_memory(arguments.memory, Path(scratch))
                print(f"cold build of {arguments.memory} patterns: {wall:.1f}s, peak memory {peak:.0f} MB "
                      f"(target <= 2048 MB)")
            if arguments.serve:
                latency, indexed, count = measure_serve(arguments.serve, Path(scratch))
                print(f"mkdocs serve with {count} patterns: edit shown after {latency:.1f}s; "
                      f"search index holds {indexed} records for {count} patterns")
        return
    results = {}
    with tempfile.TemporaryDirectory(prefix="patternbook-site-bench-") as scratch:
        for count in arguments.sizes:
            results[count] = measure(count, arguments.runs, Path(scratch), arguments.cold_only)

    print(f"machine: {platform.machine()}, CPython {platform.python_version()}, "
          f"{len(os.sched_getaffinity(0))} cores; {time.strftime('%Y-%m-%d %H:%M')}; median of {arguments.runs} runs; "
          f"load average now {_load()}\n")
    print(f"{'N':>6} {'ours cold':>18} {'Material':>18} {'ours/Material':>19}   (wall / CPU, medians)")
    for count, r in results.items():
        print(f"{count:>6} {r['cold']:>7.2f}s {r['cold_cpu']:>7.2f}s {r['full']:>7.2f}s {r['full_cpu']:>7.2f}s "
              f"{r['cold'] / r['full']:>8.2f}x {r['cold_cpu'] / r['full_cpu']:>8.2f}x")
        print(f"{'':>6} per run, wall: {', '.join(f'{x:.2f}' for x in r['cold_ratios'])}; CPU: "
              f"{', '.join(f'{x:.2f}' for x in r['cold_cpu_ratios'])}; load before each: {' | '.join(r['loads'])}")
        print(f"{'':>6} median of the per-run ratios (same load on both sides): wall "
              f"{statistics.median(r['cold_ratios']):.2f}x, CPU {statistics.median(r['cold_cpu_ratios']):.2f}x "
              f"(targets: <= 1.5x at 100 patterns, <= 0.6x at 1,000)")
    if arguments.cold_only:
        return
    header = (f"\n{'N':>6} {'ours warm':>10} {'+prune':>10} {'ours/prune':>11} {'warm/cold':>10} "
              f"{'warm/cold CPU':>14}")
    print(header)
    for count, r in results.items():
        print(f"{count:>6} {r['warm']:>9.2f}s {r['prune']:>9.2f}s {r['cold'] / r['prune']:>11.2f} "
              f"{r['warm'] / r['cold']:>10.2f} {r['warm_cpu'] / r['cold_cpu']:>14.2f}")
    print(f"\n{'N':>6} {'ours KB/page':>13} {'Material KB/page':>17} {'+prune KB/page':>15} "
          f"{'ours index B/pattern':>21} {'Material index B/pattern':>25}")
    for count, r in results.items():
        print(f"{count:>6} {r['ours_page'] / 1024:>13.1f} {r['full_page'] / 1024:>17.1f} "
              f"{r['prune_page'] / 1024:>15.1f} {r['ours_index']:>21.0f} {r['full_index']:>25.0f}")
    _print_bytes(results)
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        print(f"\npage weight growth N={sizes[0]}→{sizes[-1]}: ours {large['ours_page'] / small['ours_page']:.2f}x "
              f"(target <= 1.3x), Material full navigation {large['full_page'] / small['full_page']:.2f}x")

if __name__ == "__main__":
    main()
