"""Running Graphviz ``dot``: finding it, asking its version, rendering in batches.

One ``dot`` process costs about 10 ms to start, while laying out a small graph
costs under 1 ms, so graphs are rendered many per process: ``dot`` reads any
number of graphs from one input and writes one SVG document per graph, in
order. The batch is split into as many chunks as there are CPUs and the chunks
run concurrently (the benchmark in ``benchmarks/bench_diagrams.py`` compares
this with a single batch and with one process per graph).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from patternbook.errors import PatternbookError, UsageError

__all__ = [
    "DOT_STATS",
    "DotGraph",
    "DotStats",
    "GraphvizNotFound",
    "GraphvizRenderError",
    "find_dot",
    "graphviz_version",
    "render_svg_batch",
]

INSTALL_HINT = (
    "Graphviz is not installed: the 'dot' program was not found on PATH, and Patternbook needs it to draw "
    "pattern diagrams ('patternbook validate' does not). Install it with "
    "'sudo apt-get install graphviz' on Debian/Ubuntu, 'brew install graphviz' on macOS or "
    "'winget install graphviz' on Windows, then run the build again."
)

#: A graph that needs longer than this is broken (limits keep real ones tiny);
#: a batch gets this per graph on top of a fixed allowance for process start-up.
SECONDS_PER_GRAPH = 2.0
SECONDS_PER_CALL = 30.0

#: Fewer graphs than this per process and start-up dominates; below it, one
#: process renders the whole batch.
MIN_GRAPHS_PER_PROCESS = 24


class GraphvizNotFound(UsageError):
    """``dot`` is not installed; the message says how to install it."""

    def __init__(self, message: str = INSTALL_HINT) -> None:
        super().__init__(message)


class GraphvizRenderError(PatternbookError):
    """``dot`` failed or timed out on a graph; names the graph."""


@dataclass
class DotStats:
    """How often ``dot`` ran in this process, so tests and benchmarks can assert
    that a warm rebuild starts no process at all."""

    processes: int = 0
    """Every ``dot`` process started, including ``dot -V``."""
    graphs: int = 0
    """Graphs laid out by ``dot``."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def count(self, processes: int = 0, graphs: int = 0) -> None:
        with self._lock:
            self.processes += processes
            self.graphs += graphs

    def snapshot(self) -> tuple[int, int]:
        return self.processes, self.graphs


DOT_STATS = DotStats()


@dataclass(frozen=True, slots=True)
class DotGraph:
    """One graph ready for ``dot``: its DOT text and a name for error messages."""

    name: str
    source: str


def find_dot() -> str:
    """The ``dot`` executable on PATH, or :class:`GraphvizNotFound`."""
    found = shutil.which("dot")
    if found is None:
        raise GraphvizNotFound()
    return found


_version_memo: dict[tuple[str, int, int], str] = {}


def graphviz_version(dot: str, cache_dir: Path | None = None) -> str:
    """``dot -V``'s answer, remembered per executable file.

    The version is part of every cache key, yet asking for it starts a
    process; it is remembered in memory and in ``cache_dir`` against the
    executable's size and modification time so a warm rebuild runs ``dot``
    zero times, and an upgrade of Graphviz still changes the answer.
    """
    resolved = os.path.realpath(dot)
    status = os.stat(resolved)
    identity = (resolved, status.st_size, status.st_mtime_ns)
    if identity in _version_memo:
        return _version_memo[identity]
    stored = cache_dir / "graphviz-version.json" if cache_dir else None
    if stored is not None:
        try:
            remembered = json.loads(stored.read_text(encoding="utf-8"))
            if remembered.get("identity") == list(identity) and isinstance(remembered.get("version"), str):
                _version_memo[identity] = remembered["version"]
                return remembered["version"]
        except (OSError, ValueError):
            pass  # absent or damaged: ask dot again
    DOT_STATS.count(processes=1)
    answer = subprocess.run([dot, "-V"], capture_output=True, timeout=SECONDS_PER_CALL, check=False)
    version = (answer.stderr or answer.stdout).decode("utf-8", "replace").strip()
    if answer.returncode != 0 or "graphviz" not in version.lower():
        raise GraphvizRenderError(f"'{dot} -V' did not report a Graphviz version: {version or answer.returncode}")
    _version_memo[identity] = version
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        temporary = stored.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"identity": list(identity), "version": version}), encoding="utf-8")
        os.replace(temporary, stored)
    return version


_SVG_START = b"<?xml"


def _run_dot(dot: str, graphs: Sequence[DotGraph], image_path: str | None) -> list[bytes] | None:
    """One ``dot`` process for ``graphs``; ``None`` when it failed or did not
    return one document per graph (the caller then isolates the culprit)."""
    arguments = [dot, "-Tsvg"]
    if image_path:
        # On the command line rather than in the DOT text, so the cache key and
        # the DOT text carry no path of the build machine.
        arguments.append(f"-Gimagepath={image_path}")
    text = "\n".join(graph.source for graph in graphs).encode("utf-8")
    DOT_STATS.count(processes=1, graphs=len(graphs))
    try:
        finished = subprocess.run(arguments, input=text, capture_output=True, check=False,
                                  timeout=SECONDS_PER_CALL + SECONDS_PER_GRAPH * len(graphs))
    except subprocess.TimeoutExpired:
        return None
    if finished.returncode != 0:
        return None
    documents = [_SVG_START + part for part in finished.stdout.split(_SVG_START)[1:]]
    return documents if len(documents) == len(graphs) else None


def _render_chunk(dot: str, graphs: Sequence[DotGraph], image_path: str | None) -> list[bytes]:
    documents = _run_dot(dot, graphs, image_path)
    if documents is not None:
        return documents
    if len(graphs) == 1:
        raise GraphvizRenderError(f"{graphs[0].name}: Graphviz dot failed or did not finish within "
                                  f"{SECONDS_PER_CALL + SECONDS_PER_GRAPH:.0f} s")
    # One bad graph spoils a whole batch; render singly to name it and keep the rest.
    return [document for graph in graphs for document in _render_chunk(dot, [graph], image_path)]


def render_svg_batch(graphs: Sequence[DotGraph], *, dot: str | None = None, image_path: str | None = None,
                     processes: int | None = None) -> list[bytes]:
    """SVG documents for ``graphs``, in order, from as few ``dot`` processes as pays.

    ``processes`` caps how many ``dot`` processes run at once (default: the
    CPU count); ``processes=1`` renders everything through one process.
    """
    if not graphs:
        return []
    dot = dot or find_dot()
    wanted = processes or os.cpu_count() or 1
    chunks_count = max(1, min(wanted, len(graphs) // MIN_GRAPHS_PER_PROCESS))
    size = -(-len(graphs) // chunks_count)
    chunks = [graphs[start:start + size] for start in range(0, len(graphs), size)]
    if len(chunks) == 1:
        return _render_chunk(dot, chunks[0], image_path)
    # Threads suffice: each one waits on its own dot process, which does the work.
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        results = list(pool.map(lambda chunk: _render_chunk(dot, chunk, image_path), chunks))
    return [document for result in results for document in result]
