"""Diagram rendering: ours against the plain ``diagrams`` path, in one run.

    python benchmarks/bench_diagrams.py [--count 1000] [--sample 50] [--runs 3]

Diagrams come from a synthetic catalogue (5–15 nodes each). Measured, median
of --runs, as wall clock and as CPU time (this process and its ``dot`` children,
``getrusage``; on a shared machine wall clock mostly measures the other jobs):
  * ours, cold: every diagram through Patternbook's renderer into an empty cache
    (one lean ``dot`` process per graph, as many at once as there are CPUs), SVG only;
  * ours, cold, with the downloads a build makes (PNG, draw.io, Mermaid, DOT);
  * ours with Graphviz's default plugin set (pango), to show what the lean set saves;
  * ours, warm: the same again with the cache filled (counts ``dot`` processes);
  * the README's plain path, ``with Diagram(...)`` writing a PNG per diagram,
    timed on --sample diagrams (it is slow) and reported per diagram;
  * the PNG's two parts on --sample drawn SVGs, CPU time of this process: drawing
    (Patternbook's drawer of Graphviz's SVG against cairosvg) and encoding (unfiltered
    rows through zlib against Pillow's PNG writer, which tries every filter per row).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_catalogue  # noqa: E402
from patternbook.diagrams import DOT_STATS, render_pattern_diagrams  # noqa: E402
from patternbook.diagrams import render as render_module  # noqa: E402
from patternbook.diagrams.kinds import node_class  # noqa: E402
from patternbook.validation import validate_paths  # noqa: E402


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the ``dot`` processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Timed:
    """Wall and CPU seconds of a block, appended to two lists."""

    def __init__(self, wall: list[float], cpu: list[float]) -> None:
        self.wall, self.cpu = wall, cpu

    def __enter__(self) -> None:
        self.started, self.cpu_started = time.perf_counter(), _cpu()

    def __exit__(self, *exc: object) -> None:
        self.wall.append(time.perf_counter() - self.started)
        self.cpu.append(_cpu() - self.cpu_started)


def _naive(patterns: list, work: Path) -> float:
    """The usage the diagrams README shows: a context manager that runs dot and writes a PNG."""
    import diagrams

    previous = os.getcwd()
    os.chdir(work)
    try:
        started = time.perf_counter()
        for pattern in patterns:
            spec = pattern.diagrams[0]
            with diagrams.Diagram(spec.title, show=False, outformat="png", filename=f"{pattern.slug}"):
                nodes = {node.id: node_class(node.kind)(node.label) for node in spec.nodes}
                for edge in spec.edges:
                    nodes[edge.source] >> nodes[edge.target]
        return (time.perf_counter() - started) / len(patterns)
    finally:
        os.chdir(previous)


def _png_parts(svgs: list[Path], runs: int) -> dict[str, float]:
    """CPU seconds per picture of each way to draw and to encode the PNG download."""
    import io

    from PIL import Image

    from patternbook.diagrams.png import _draw_with_cairosvg, draw_dot_svg, encode_png

    documents = [path.read_bytes() for path in svgs]
    surfaces = [draw_dot_svg(document) for document in documents]

    def pillow(surface: object) -> bytes:
        picture = Image.frombuffer("RGBA", (surface.get_width(), surface.get_height()), surface.get_data(),
                                   "raw", "BGRA", surface.get_stride(), 1).convert("RGB")
        written = io.BytesIO()
        picture.save(written, "PNG", compress_level=3)
        return written.getvalue()

    ways = {"draw: Patternbook": (draw_dot_svg, documents), "draw: cairosvg": (_draw_with_cairosvg, documents),
            "encode: unfiltered rows, zlib 3": (encode_png, surfaces),
            "encode: Pillow's PNG writer, level 3": (pillow, surfaces)}
    parts: dict[str, float] = {}
    for name, (function, inputs) in ways.items():
        times = []
        for _ in range(runs):
            started = time.process_time()
            for item in inputs:
                function(item)
            times.append((time.process_time() - started) / len(inputs))
        parts[name] = statistics.median(times)
    parts["count"] = len(documents)
    parts["bytes: unfiltered"] = statistics.mean(len(encode_png(surface)) for surface in surfaces)
    parts["bytes: Pillow"] = statistics.mean(len(pillow(surface)) for surface in surfaces)
    return parts


def _one_batch(patterns: list, cache: Path) -> tuple[float, int, int]:
    """All graphs through a single dot process (the alternative we measured and
    rejected): seconds, SVG documents produced, exit status."""
    import subprocess

    from patternbook.diagrams.graph import build_diagram_graph
    from patternbook.diagrams.graphviz_dot import find_dot, lean_plugin_directory
    from patternbook.diagrams.kinds import icons_directory

    dot = find_dot()
    plugin_dir = lean_plugin_directory(dot, cache)
    source = "\n".join(build_diagram_graph(p.slug, d).dot.source for p in patterns for d in p.diagrams)
    started = time.perf_counter()
    finished = subprocess.run([dot, "-Tsvg", f"-Gimagepath={icons_directory()}"], input=source.encode(),
                              capture_output=True, env={**os.environ, "GVBINDIR": str(plugin_dir)})
    return time.perf_counter() - started, finished.stdout.count(b"</svg>"), finished.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="patternbook-diagram-bench-") as scratch:
        work = Path(scratch)
        catalogue = write_catalogue(work / "catalogue", arguments.count)
        patterns = list(validate_paths([catalogue]).patterns.values())
        diagram_count = sum(len(p.diagrams) for p in patterns)

        cold, with_downloads, default_plugins, warm, warm_processes = [], [], [], [], []
        cold_cpu, downloads_cpu, default_cpu, warm_cpu = [], [], [], []
        for run in range(arguments.runs):
            cache = work / f"cache-{run}"
            with _Timed(cold, cold_cpu):
                render_pattern_diagrams(patterns, work / f"cache-svg-{run}", downloads=False)
            with _Timed(with_downloads, downloads_cpu):
                render_pattern_diagrams(patterns, cache)
            before = DOT_STATS.snapshot()[0]
            with _Timed(warm, warm_cpu):
                render_pattern_diagrams(patterns, cache)
            warm_processes.append(DOT_STATS.snapshot()[0] - before)
            with (mock.patch.object(render_module, "lean_plugin_directory", lambda dot, cache_dir: None),
                  _Timed(default_plugins, default_cpu)):
                render_pattern_diagrams(patterns, work / f"cache-default-{run}", downloads=False)
            shutil.rmtree(cache)
        png_parts = _png_parts(sorted((work / "cache-svg-0").glob("diagrams/*/*.svg"))[: arguments.sample],
                               arguments.runs)
        batch_seconds, batch_documents, batch_status = _one_batch(patterns, work / "batch-cache")
        naive_dir = work / "naive"
        naive_dir.mkdir()
        naive = statistics.median(_naive(patterns[: arguments.sample], naive_dir) for _ in range(arguments.runs))

    ours = statistics.median(cold) / diagram_count

    def per_diagram(values: list[float]) -> str:
        return f"{statistics.median(values) / diagram_count * 1000:.2f}"

    print(f"machine: {platform.machine()}, CPython {platform.python_version()}, {len(os.sched_getaffinity(0))} cores, "
          f"load average {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M')}; "
          f"{diagram_count} diagrams of 5-15 nodes, median of {arguments.runs} runs\n")
    print(f"{'path':<58}{'wall ms/diagram':>16}{'CPU ms/diagram':>16}")
    print(f"{'ours, cold (lean dot per graph, parallel), SVG only':<58}{per_diagram(cold):>16}"
          f"{per_diagram(cold_cpu):>16}")
    print(f"{'ours, cold, SVG + PNG, draw.io, Mermaid and DOT downloads':<58}{per_diagram(with_downloads):>16}"
          f"{per_diagram(downloads_cpu):>16}")
    print(f"{'ours, cold, Graphviz default plugins':<58}{per_diagram(default_plugins):>16}"
          f"{per_diagram(default_cpu):>16}")
    print(f"{'one dot process for all graphs (rejected, see README)':<58}{batch_seconds / diagram_count * 1000:>16.2f}"
          f"{'':>16}   ({batch_documents} of {diagram_count} SVGs, exit status {batch_status})")
    print(f"{'plain diagrams path (PNG, one dot each), ' + str(arguments.sample) + ' sampled':<58}"
          f"{naive * 1000:>16.2f}")
    print(f"\nPNG of {png_parts['count']} diagrams, CPU ms per picture (median of {arguments.runs}):")
    for name in ("draw: Patternbook", "draw: cairosvg", "encode: unfiltered rows, zlib 3",
                 "encode: Pillow's PNG writer, level 3"):
        print(f"  {name:<40}{png_parts[name] * 1000:>8.2f}")
    print(f"  mean PNG size: unfiltered {png_parts['bytes: unfiltered'] / 1024:.1f} KB, "
          f"Pillow's writer {png_parts['bytes: Pillow'] / 1024:.1f} KB")
    print(f"\ndownloads cost {statistics.median(downloads_cpu) / statistics.median(cold_cpu):.1f}x the CPU "
          f"of the SVG alone")
    print(f"warm rebuild: {statistics.median(warm):.2f}s ({statistics.median(warm_cpu):.2f}s CPU), "
          f"dot processes started: {max(warm_processes)}")
    print(f"speed-up over the plain path: {naive / ours:.1f}x (target >= 10x); "
          f"ours {ours * 1000:.2f} ms per diagram (target <= 5 ms)")


if __name__ == "__main__":
    main()
