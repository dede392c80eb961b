"""Site builds at scale: ours against plain Material, page weight, rebuilds.

    python benchmarks/bench_site.py [--sizes 100 1000] [--runs 3]

For each catalogue size N, in one run:
  * cold build with the plugin (empty diagram cache) and warm rebuild (nothing changed);
  * the same pages exported (`patternbook export`) and built by plain MkDocs +
    Material with its default full navigation, and with `navigation.prune` — Material
    as it ships, with its own search plugin and search box;
  * HTML bytes per pattern page and Material's search-index bytes per pattern;
  * the whole site's bytes and files per bundle, what a static host stores and counts
    (``benchmarks/site_weight.py``; goal <= 250 KB and <= 8 files), beside the build time;
  * in Chromium (Debian's, through Playwright): every byte a reader's browser fetches to
    open a pattern page (HTML, CSS, JS, fonts, diagram SVGs), then to get the first
    results for a query, ours (Pagefind) beside Material's (lunr) on the same pages.
    Bytes are gzip sizes (level 6) of each fetched file, as a static host serves them.
Wall clock of whole `mkdocs build` processes, and their CPU time (user + system of the
build and every process it waited for: `dot`, Pagefind, validation workers), median of
--runs; ours and Material alternate within each run, so both see the same load. CPU time
is the steadier figure on a shared machine. Prints ratios of both.

    python benchmarks/bench_site.py --sizes 1000 --runs 3 --cold-only   # the build ratio alone

    python benchmarks/bench_site.py --sizes 1000 --weight   # one cold build of ours: time and weight only

    python benchmarks/bench_site.py --serve 1000

measures, in one run, `mkdocs serve` and `patternbook serve` on the same catalogue: for each of
five patterns, Chromium shows the pattern's page, its pattern.yaml gets a new summary, and the
time until the page displays it is taken (for `patternbook serve` also a broken edit until its
diagnostics show, and until the listing pages have caught up).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
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
from benchmarks.site_weight import SiteWeight, site_weight  # noqa: E402
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
    result["weight"] = site_weight(work / f"ours-{count}")
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


#: Edits measured per server (the median is reported).
SERVE_EDITS = 5


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode()
    except OSError:
        return ""


def _set_summary(bundle: Path, summary: str) -> None:
    text = bundle.read_text()
    start = text.index("summary: ")
    end = text.index("\n", start)
    bundle.write_text(text[:start] + f'summary: "{summary}"' + text[end:])


def measure_serve(count: int, work: Path, command: str) -> dict[str, object]:
    """Seconds from saving an edit to a pattern until Chromium, showing that pattern's page,
    displays it, for ``command`` (``mkdocs`` serve or ``patternbook`` serve), over
    :data:`SERVE_EDITS` edits of different patterns; for ``patternbook`` also the seconds
    until a broken edit's diagnostics show, and until the listing pages caught up.
    Plus the records in the served search index (patterns, categories, series: none may be lost)."""
    import json

    from playwright.sync_api import sync_playwright

    project = work / f"serve-{command}-{count}"
    if not project.exists():
        project = _project(work, count).rename(project)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    arguments = ([sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml")] if command == "mkdocs"
                 else [sys.executable, "-m", "patternbook", "serve", "-f", str(project / "mkdocs.yml")])
    log_path = work / f"serve-{command}.log"
    log = log_path.open("w")
    server = subprocess.Popen([*arguments, "-a", f"127.0.0.1:{port}"], cwd=project, env=ENVIRONMENT,
                              stdout=log, stderr=subprocess.STDOUT)

    def settled_count() -> int:
        return log_path.read_text().count("listing pages and search updated")

    def wait_settled(before: int, limit: float = 600) -> float:
        started = time.monotonic()
        while settled_count() <= before and time.monotonic() - started < limit:
            time.sleep(0.1)
        return time.monotonic() - started

    shown: list[float] = []
    diagnostics: list[float] = []
    listings: list[float] = []
    try:
        deadline = time.monotonic() + 1800
        while "Synthetic pattern 00001" not in _fetch(base + "patterns/synthetic-00001/"):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"{command} serve did not come up:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            tab = browser.new_page()
            for edit in range(1, SERVE_EDITS + 1):
                slug = f"synthetic-{edit:05d}"
                bundle = project / "patterns" / slug / "pattern.yaml"
                tab.goto(f"{base}patterns/{slug}/")
                tab.wait_for_load_state("load")
                tab.wait_for_timeout(1000)  # the live-reload connection is open
                marker = f"Edited summary number {edit} for the serve benchmark, one line long"
                before = settled_count()
                _set_summary(bundle, marker)
                edited = time.monotonic()
                tab.get_by_text(marker).first.wait_for(timeout=600_000)
                shown.append(time.monotonic() - edited)
                if command != "patternbook":
                    continue
                listings.append(wait_settled(before) + shown[-1])
                before = settled_count()
                _set_summary(bundle, "too short")  # PB204: a summary needs 30 characters
                edited = time.monotonic()
                tab.get_by_text("does not validate").first.wait_for(timeout=600_000)
                diagnostics.append(time.monotonic() - edited)
                tab.get_by_text("PB204").first.wait_for(timeout=10_000)
                wait_settled(before)
                before = settled_count()
                _set_summary(bundle, marker)  # fixed again; the next edit starts from a settled site
                tab.get_by_text(marker).first.wait_for(timeout=600_000)
                wait_settled(before)
            browser.close()
        # Pagefind's entry counts every record: patterns, categories and series.
        entry = json.loads(_fetch(base + "pagefind/pagefind-entry.json") or "{}")
        records = sum(language["page_count"] for language in entry.get("languages", {}).values())
        return {"shown": shown, "diagnostics": diagnostics, "listings": listings, "records": records}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _print_serve(count: int, results: dict[str, dict[str, object]]) -> None:
    def seconds(values: object) -> str:
        return " ".join(f"{v:.2f}" for v in values)  # type: ignore[union-attr]

    print(f"Serve with {count} patterns, seconds from saving a pattern.yaml to Chromium showing the edit "
          f"(median of {SERVE_EDITS} edits of different patterns):")
    for command, r in results.items():
        print(f"  {command} serve: {statistics.median(r['shown']):.2f}s  (each: {seconds(r['shown'])}); "
              f"search index holds {r['records']} records")
        if r["diagnostics"]:
            print(f"    broken edit, diagnostics on the page: {statistics.median(r['diagnostics']):.2f}s "
                  f"(each: {seconds(r['diagnostics'])})")
            print(f"    listing pages and search caught up: {statistics.median(r['listings']):.1f}s "
                  f"(each: {seconds(r['listings'])})")
    if "mkdocs" in results and "patternbook" in results:
        ratio = statistics.median(results["mkdocs"]["shown"]) / statistics.median(results["patternbook"]["shown"])
        print(f"  patternbook serve shows an edit {ratio:.0f}x sooner than mkdocs serve (target <= 1 s)")


def _print_weights(weights: dict[int, SiteWeight]) -> None:
    print(f"\n{'N':>6} {'site KB/bundle':>15} {'files/bundle':>13}   (ours; goal <= 250 KB, <= 8 files)")
    for count, weight in weights.items():
        print(f"{count:>6} {weight.bytes_per_bundle / 1024:>15.1f} {weight.files_per_bundle:>13.2f}")
        print("\n".join(f"{'':>6} {line}" for line in weight.lines()[1:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", type=int, metavar="N", help="only: peak memory of a cold build of N patterns")
    parser.add_argument("--serve", type=int, metavar="N",
                        help="only: edit-to-shown latency with N patterns, mkdocs serve beside patternbook serve")
    parser.add_argument("--bytes", action="store_true", help="only: page and search bytes in Chromium, no timings")
    parser.add_argument("--weight", action="store_true",
                        help="only: one cold build of ours per size: its time, the site's bytes and files per bundle")
    parser.add_argument("--cold-only", action="store_true",
                        help="only cold builds, ours and Material with full navigation (no warm, prune or browser)")
    arguments = parser.parse_args()
    if arguments.bytes:
        with tempfile.TemporaryDirectory(prefix="patternbook-site-bench-") as scratch:
            _print_bytes({count: measure_bytes(count, Path(scratch)) for count in arguments.sizes})
        return
    if arguments.weight:
        with tempfile.TemporaryDirectory(prefix="patternbook-site-bench-") as scratch:
            weights = {}
            for count in arguments.sizes:
                project = _project(Path(scratch), count)
                wall = _build(project / "mkdocs.yml", Path(scratch) / f"ours-{count}")
                print(f"N={count}: cold build {wall:.1f}s wall, {LAST_CPU[0]:.1f}s CPU; load {_load()}")
                weights[count] = site_weight(Path(scratch) / f"ours-{count}")
            _print_weights(weights)
        return
    if arguments.memory or arguments.serve:
        with tempfile.TemporaryDirectory(prefix="patternbook-site-bench-") as scratch:
            if arguments.memory:
                peak, wall = measure_memory(arguments.memory, Path(scratch))
                print(f"cold build of {arguments.memory} patterns: {wall:.1f}s, peak memory {peak:.0f} MB "
                      f"(target <= 2048 MB)")
            if arguments.serve:
                print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
                results = {command: measure_serve(arguments.serve, Path(scratch), command)
                           for command in ("mkdocs", "patternbook")}
                print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
                _print_serve(arguments.serve, results)
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
    _print_weights({count: r["weight"] for count, r in results.items()})
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
