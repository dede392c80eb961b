"""Site builds at scale: ours against plain Material, page weight, rebuilds.

    python benchmarks/bench_site.py [--sizes 100 1000] [--runs 3]

For each catalogue size N, in one run:
  * cold build with the plugin (empty diagram cache) and warm rebuild (nothing changed);
  * the same pages exported (`patternbook export`) and built by plain MkDocs +
    Material with its default full navigation, and with `navigation.prune`;
  * bytes per pattern page and search-index bytes per pattern for each.
Wall clock of whole `mkdocs build` processes, median of --runs. Prints ratios.
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


def _build(config: Path, site: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                            cwd=config.parent, capture_output=True, text=True, env=ENVIRONMENT)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stderr[-3000:]}")
    return elapsed


def _weights(site: Path) -> tuple[float, float]:
    pages = list((site / "patterns").glob("*/index.html"))
    page_bytes = statistics.median(p.stat().st_size for p in pages)
    index_bytes = (site / "search" / "search_index.json").stat().st_size / len(pages)
    return page_bytes, index_bytes


def _plain_config(exported: Path, prune: bool) -> Path:
    config = yaml.safe_load((exported / "mkdocs.yml").read_text())
    config.pop("nav", None)  # Material's default: every page in the navigation
    if prune:
        # navigation.sections renders every section open, which defeats pruning; Material's
        # documented pruned setup leaves it out.
        features = [f for f in config["theme"].get("features", []) if f != "navigation.sections"]
        config["theme"]["features"] = [*features, "navigation.prune"]
    target = exported / ("mkdocs-prune.yml" if prune else "mkdocs-full.yml")
    target.write_text(yaml.safe_dump(config, sort_keys=False))
    return target


def measure(count: int, runs: int, work: Path) -> dict[str, float]:
    project = _project(work, count)
    config = project / "mkdocs.yml"
    cold, warm = [], []
    for _ in range(runs):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        cold.append(_build(config, work / f"ours-{count}"))
        warm.append(_build(config, work / f"ours-{count}"))
    ours_page, ours_index = _weights(work / f"ours-{count}")

    exported = work / f"exported-{count}"
    subprocess.run([sys.executable, "-m", "patternbook", "export", str(exported)], cwd=project, check=True,
                   capture_output=True, env=ENVIRONMENT)
    full = [_build(_plain_config(exported, prune=False), work / f"full-{count}") for _ in range(runs)]
    pruned = [_build(_plain_config(exported, prune=True), work / f"prune-{count}") for _ in range(runs)]
    full_page, full_index = _weights(work / f"full-{count}")
    prune_page, _ = _weights(work / f"prune-{count}")
    return {
        "cold": statistics.median(cold), "warm": statistics.median(warm),
        "full": statistics.median(full), "prune": statistics.median(pruned),
        "ours_page": ours_page, "full_page": full_page, "prune_page": prune_page,
        "ours_index": ours_index, "full_index": full_index,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="patternbook-site-bench-") as scratch:
        for count in arguments.sizes:
            results[count] = measure(count, arguments.runs, Path(scratch))

    print(f"machine: {platform.machine()}, CPython {platform.python_version()}, "
          f"{len(os.sched_getaffinity(0))} cores; {time.strftime('%Y-%m-%d')}; median of {arguments.runs} runs\n")
    header = (f"{'N':>6} {'ours cold':>10} {'ours warm':>10} {'Material':>10} {'+prune':>10} "
              f"{'ours/Mat':>9} {'ours/prune':>11} {'warm/cold':>10}")
    print(header)
    for count, r in results.items():
        print(f"{count:>6} {r['cold']:>9.2f}s {r['warm']:>9.2f}s {r['full']:>9.2f}s {r['prune']:>9.2f}s "
              f"{r['cold'] / r['full']:>9.2f} {r['cold'] / r['prune']:>11.2f} {r['warm'] / r['cold']:>10.2f}")
    print(f"\n{'N':>6} {'ours KB/page':>13} {'Material KB/page':>17} {'+prune KB/page':>15} "
          f"{'ours index B/pattern':>21} {'Material index B/pattern':>25}")
    for count, r in results.items():
        print(f"{count:>6} {r['ours_page'] / 1024:>13.1f} {r['full_page'] / 1024:>17.1f} "
              f"{r['prune_page'] / 1024:>15.1f} {r['ours_index']:>21.0f} {r['full_index']:>25.0f}")
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        print(f"\npage weight growth N={sizes[0]}→{sizes[-1]}: ours {large['ours_page'] / small['ours_page']:.2f}x "
              f"(target <= 1.3x), Material full navigation {large['full_page'] / small['full_page']:.2f}x")


if __name__ == "__main__":
    main()
