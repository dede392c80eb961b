"""Validation speed against check-jsonschema, and CLI start-up, in one run.

    python benchmarks/bench_validate.py [--count 1000] [--runs 5] [--workload clones|synthetic|both]

Writes each workload's catalogue: ``clones`` (the default) is --count clones of
the largest shipped bundle (:mod:`benchmarks.clones`), ``synthetic`` the small
generated bundles (:mod:`benchmarks.synthetic`). Then times, in the same run
(whole processes, median of --runs, wall clock and the CPU time the process
and its workers used; on a shared machine the CPU time moves less than the wall):
  * ``patternbook validate`` on every bundle (schema, prose rules, diagrams,
    cross-bundle rules, positions for every value), cold (``--no-cache``: every
    bundle checked) and warm (the result cache filled by the run before, as on a
    contributor's second run or in CI with ``.cache/patternbook`` restored: the
    rules across bundles and the dates still run);
  * ``check-jsonschema`` validating the same pattern.yaml files against the
    JSON Schema exported by ``patternbook schema`` (types only, no positions);
  * ``patternbook --help`` against a bare ``python -c pass``.
Prints a table and the ratios the README quotes.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.clones import largest_bundle, write_clones
from benchmarks.synthetic import write_catalogue

WORKLOADS = {"clones": write_clones, "synthetic": write_catalogue}
#: The day the shipped stances were written: no adoption date lies after it.
TODAY = "2026-12-07"

BIN = Path(sys.executable).parent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _median_wall(command: list[str], runs: int, cwd: Path, expect: int = 0) -> tuple[float, float]:
    """The median wall time and the median CPU time (user + system, workers included) of ``runs`` runs."""
    times, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), _children_cpu()
        result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - used)
        if result.returncode != expect:
            raise SystemExit(f"{command[0]} exited {result.returncode}: {result.stderr.decode()[-2000:]}")
    return statistics.median(times), statistics.median(cpu)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed; run 'bash scripts/test' once to install the test extras")
    return found


def _measure(workload: str, count: int, runs: int, work: Path, schema: Path) -> dict[str, tuple[float, float]]:
    catalogue = WORKLOADS[workload](work / workload, count)
    files = sorted(str(p.relative_to(work)) for p in catalogue.glob("*/pattern.yaml"))
    # Run from the catalogue's parent, as CI does: diagnostics name short relative paths.
    validate = [_tool("patternbook"), "validate", workload, "--today", TODAY, "-q",
                "--cache", str(work / f"{workload}-cache.json")]
    cold = _median_wall([*validate, "--no-cache"], runs, work)
    _median_wall(validate, 1, work)  # fills the cache
    return {
        "ours": cold,
        "warm": _median_wall(validate, runs, work),
        "peer": _median_wall([_tool("check-jsonschema"), "--schemafile", str(schema), *files], runs, work),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workload", choices=(*WORKLOADS, "both"), default="clones")
    arguments = parser.parse_args()
    workloads = list(WORKLOADS) if arguments.workload == "both" else [arguments.workload]

    with tempfile.TemporaryDirectory(prefix="patternbook-bench-") as scratch:
        work = Path(scratch)
        schema = work / "pattern.schema.json"
        subprocess.run([_tool("patternbook"), "schema", "-o", str(schema)], check=True)
        results = {workload: _measure(workload, arguments.count, arguments.runs, work, schema)
                   for workload in workloads}
        bare, _ = _median_wall([sys.executable, "-c", "pass"], arguments.runs * 4, work)
        helped, _ = _median_wall([_tool("patternbook"), "--help"], arguments.runs * 4, work)

    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d')}")
    print(f"median of {arguments.runs} runs, {arguments.count} bundles; clones of {largest_bundle().name}\n")
    print(f"{'measurement':<60}{'wall':>9}{'cpu':>9}")
    for workload, measured in results.items():
        (ours, ours_cpu), (peer, peer_cpu) = measured["ours"], measured["peer"]
        warm, warm_cpu = measured["warm"]
        print(f"{'patternbook validate, ' + workload + ' (all rules, positions)':<60}{ours:>8.2f}s{ours_cpu:>8.2f}s")
        print(f"{'patternbook validate, ' + workload + ', warm result cache':<60}{warm:>8.2f}s{warm_cpu:>8.2f}s")
        print(f"{'check-jsonschema, ' + workload + ' (exported schema)':<60}{peer:>8.2f}s{peer_cpu:>8.2f}s")
    print(f"{'python -c pass':<60}{bare * 1000:>7.0f}ms")
    print(f"{'patternbook --help':<60}{helped * 1000:>7.0f}ms")
    print()
    for workload, measured in results.items():
        (ours, ours_cpu), (peer, peer_cpu) = measured["ours"], measured["peer"]
        print(f"{workload}: validate is {peer / ours:.1f}x faster than check-jsonschema by wall, "
              f"{peer_cpu / ours_cpu:.1f}x by CPU (target >= 3x); "
              f"wall {ours:.2f}s cold, {measured['warm'][0]:.2f}s warm on {arguments.count} bundles "
              "(target <= 1 s at 1,000)")
    print(f"--help start-up above bare python: {(helped - bare) * 1000:.0f}ms (target <= 150 ms)")


if __name__ == "__main__":
    main()
