"""Validation speed against check-jsonschema, and CLI start-up, in one run.

    python benchmarks/bench_validate.py [--count 1000] [--runs 5]

Generates a synthetic catalogue, then times (wall clock, whole processes,
median of --runs):
  * ``patternbook validate`` on every bundle (schema, prose rules, diagrams,
    cross-bundle rules, positions for every value);
  * ``check-jsonschema`` validating the same pattern.yaml files against the
    JSON Schema exported by ``patternbook schema`` (types only, no positions);
  * ``patternbook --help`` against a bare ``python -c pass``.
Prints a table and the ratios the README quotes.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.synthetic import write_catalogue

BIN = Path(sys.executable).parent


def _median_wall(command: list[str], runs: int, cwd: Path, expect: int = 0) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - started)
        if result.returncode != expect:
            raise SystemExit(f"{command[0]} exited {result.returncode}: {result.stderr.decode()[-2000:]}")
    return statistics.median(times)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed; run 'bash scripts/test' once to install the test extras")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="patternbook-bench-") as scratch:
        work = Path(scratch)
        catalogue = write_catalogue(work / "catalogue", arguments.count)
        schema = work / "pattern.schema.json"
        patternbook = _tool("patternbook")
        subprocess.run([patternbook, "schema", "-o", str(schema)], check=True)
        files = sorted(str(p) for p in catalogue.glob("*/pattern.yaml"))

        ours = _median_wall([patternbook, "validate", str(catalogue), "--today", "2026-11-01", "-q"],
                            arguments.runs, work)
        peer = _median_wall([_tool("check-jsonschema"), "--schemafile", str(schema), *files],
                            arguments.runs, work)
        bare = _median_wall([sys.executable, "-c", "pass"], arguments.runs * 4, work)
        helped = _median_wall([patternbook, "--help"], arguments.runs * 4, work)

    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{len(__import__('os').sched_getaffinity(0))} cores; {time.strftime('%Y-%m-%d')}")
    print(f"median of {arguments.runs} runs, {arguments.count} bundles\n")
    print(f"{'measurement':<52}{'wall':>10}")
    print(f"{'patternbook validate (all rules, positions)':<52}{ours:>9.2f}s")
    print(f"{'check-jsonschema (same files, exported schema)':<52}{peer:>9.2f}s")
    print(f"{'python -c pass':<52}{bare * 1000:>8.0f}ms")
    print(f"{'patternbook --help':<52}{helped * 1000:>8.0f}ms")
    print()
    print(f"validate speed-up over check-jsonschema: {peer / ours:.1f}x (target >= 3x)")
    print(f"validate wall on {arguments.count} bundles: {ours:.2f}s (target <= 1 s at 1,000)")
    print(f"--help start-up above bare python: {(helped - bare) * 1000:.0f}ms (target <= 150 ms)")


if __name__ == "__main__":
    main()
