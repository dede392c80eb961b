"""`patternbook build` of the shipped catalogue with each engine: MkDocs (the plugin),
ProperDocs and Zensical (both building what `patternbook export` writes), post-build
stage (feed, llms.txt, Pagefind index, CSP) included.

    python benchmarks/bench_engines.py [--runs 3] [--synthetic N]

The project (or, with --synthetic N, a generated catalogue of N patterns) is copied to
a temporary folder and built once with each engine, untimed, so the diagram cache is
filled (Graphviz output is the same whatever the engine). Then each run builds with
every engine in turn (interleaved, so machine load falls on all alike), and the wall
clock and CPU time (user + system, the build and every process it starts: less
sensitive than wall clock to other jobs on a shared machine) of each whole
`patternbook build --strict` process are recorded. Prints the medians per engine and
their ratio to MkDocs in the same run, the engine's own step as the
engine logs it (MkDocs' figure includes the plugin's work), and what each site ships
for search.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_catalogue  # noqa: E402

ENGINES = ("mkdocs", "properdocs", "zensical")
ENVIRONMENT = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}


def _project(work: Path, synthetic: int | None) -> Path:
    project = work / "library"
    project.mkdir()
    for part in ("templates", "docs", "site_overrides"):
        shutil.copytree(ROOT / part, project / part)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    if synthetic:
        write_catalogue(project / "patterns", synthetic)
    else:
        shutil.copytree(ROOT / "patterns", project / "patterns")
    return project


#: How each engine reports the time of its own part (Markdown to HTML), in its log.
_ENGINE_TIME = re.compile(r"(?:Documentation built in|Build finished in) ([\d.]+) ?s")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _build(project: Path, engine: str, site: Path, strict: bool) -> tuple[float, float, float]:
    """Wall clock, CPU seconds (of the build and every process it started) and the engine's own step."""
    command = [sys.executable, "-m", "patternbook", "build", "--engine", engine, "-d", str(site)]
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(command + (["--strict"] if strict else []), cwd=project, capture_output=True, text=True,
                            env=ENVIRONMENT)
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if result.returncode != 0:
        raise SystemExit(f"{engine} build failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    own = _ENGINE_TIME.findall(result.stdout + result.stderr)
    return elapsed, cpu, float(own[-1]) if own else float("nan")


def _search(site: Path) -> str:
    found = []
    if (site / "pagefind" / "pagefind.js").is_file():
        found.append("Pagefind (Patternbook's post-build index)")
    if (site / "search.json").is_file():
        found.append("and Zensical's own search.json, unused by the pages")
    if (site / "search" / "search_index.json").is_file():
        found.append("and Material's lunr index")
    return " ".join(found) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--synthetic", type=int, metavar="N", help="a generated catalogue of N patterns instead")
    arguments = parser.parse_args()
    strict = not arguments.synthetic  # generated relations are not all mirrored: warnings
    if arguments.synthetic:
        ENVIRONMENT["SOURCE_DATE_EPOCH"] = "1795000000"  # the generated review dates stay current
    with tempfile.TemporaryDirectory(prefix="pb-engines-") as folder:
        work = Path(folder)
        project = _project(work, arguments.synthetic)
        pages = {}
        for engine in ENGINES:  # fills the diagram cache (and the plugin's page cache); untimed
            _build(project, engine, work / f"site-{engine}", strict)
            pages[engine] = len(list((work / f"site-{engine}").rglob("*.html")))
        times: dict[str, list[float]] = {engine: [] for engine in ENGINES}
        own: dict[str, list[float]] = {engine: [] for engine in ENGINES}
        cpu: dict[str, list[float]] = {engine: [] for engine in ENGINES}
        for _ in range(arguments.runs):
            for engine in ENGINES:
                whole, seconds, part = _build(project, engine, work / f"site-{engine}", strict)
                times[engine].append(whole)
                cpu[engine].append(seconds)
                own[engine].append(part)
        catalogue = f"{arguments.synthetic} generated patterns" if arguments.synthetic else "the shipped catalogue"
        print(f"patternbook build --strict of {catalogue}, median of {arguments.runs} warm runs "
              f"(diagram cache filled); {platform.platform()}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.2f} at the end")
        baseline = statistics.median(times["mkdocs"])
        cpu_baseline = statistics.median(cpu["mkdocs"])
        for engine in ENGINES:
            median = statistics.median(times[engine])
            cpu_median = statistics.median(cpu[engine])
            runs = ", ".join(f"{t:.2f}" for t in times[engine])
            print(f"  {engine:<11} {median:6.2f} s wall ({median / baseline:.2f}× MkDocs), "
                  f"{cpu_median:.2f} s CPU ({cpu_median / cpu_baseline:.2f}×); wall runs {runs}; "
                  f"engine's own step {statistics.median(own[engine]):.2f} s as it reports it; "
                  f"{pages[engine]} HTML pages; search: {_search(work / f'site-{engine}')})")


if __name__ == "__main__":
    main()
