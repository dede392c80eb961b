"""Running Graphviz ``dot``: finding it, asking its version, rendering in batches.

Each graph gets its own ``dot`` process, run concurrently, with a lean plugin
set that makes a process cheap. Why not many graphs per process: Graphviz 2.43
(Debian 12) does not lay out a graph the same way after others in the same
process (cluster order changes in 6 of 24 shipped diagrams), and sometimes
crashes mid-batch, so batching would break byte-identical output. With the lean
plugin set a process costs about 2 ms, which is what batching was meant to save
(``benchmarks/bench_diagrams.py`` has the figures).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
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
    "lean_plugin_directory",
    "render_with_layout",
]

INSTALL_HINT = (
    "Graphviz is not installed: the 'dot' program was not found on PATH, and Patternbook needs it to draw "
    "pattern diagrams ('patternbook validate' does not). Install it with "
    "'sudo apt-get install graphviz' on Debian/Ubuntu, 'brew install graphviz' on macOS or "
    "'winget install graphviz' on Windows, then run the build again."
)

#: A graph that needs longer than this is broken (size limits keep real ones tiny).
SECONDS_PER_CALL = 30.0


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


def lean_plugin_directory(dot: str, cache_dir: Path) -> Path | None:
    """A Graphviz plugin folder holding only the ``core`` renderer and the ``dot``
    layout, for ``GVBINDIR``.

    Without the pango plugin ``dot`` starts in about 2 ms instead of 11 ms (it
    no longer initialises fontconfig) and measures text with its built-in font
    metrics, which also makes the output independent of the fonts installed on
    the build machine. ``None`` when the plugins cannot be found; callers then
    use Graphviz as installed.

    A folder that is in place is never written again: ``dot`` processes of this
    build (or of another one sharing the cache) may be reading its configuration.
    A new one is assembled beside it and renamed into place whole.
    """
    answer = subprocess.run([dot, "-v"], input=b"", capture_output=True, timeout=SECONDS_PER_CALL, check=False)
    DOT_STATS.count(processes=1)
    found = re.search(r'libdir = "([^"]+)"', answer.stderr.decode("utf-8", "replace"))
    if not found:
        return None
    libdir = Path(found.group(1))
    wanted = [p for p in sorted(libdir.glob("libgvplugin_*")) if re.match(r"libgvplugin_(core|dot_layout)\.", p.name)]
    if len(wanted) < 2:
        return None
    folder = cache_dir / "graphviz-plugins"
    if _holds_plugins(folder, wanted):
        return folder
    cache_dir.mkdir(parents=True, exist_ok=True)
    assembling = Path(tempfile.mkdtemp(prefix=".graphviz-plugins-", dir=cache_dir))
    try:
        for plugin in wanted:
            (assembling / plugin.name).symlink_to(plugin)
        configured = subprocess.run([dot, "-c"], env={**os.environ, "GVBINDIR": str(assembling)},
                                    capture_output=True, timeout=SECONDS_PER_CALL, check=False)
        DOT_STATS.count(processes=1)
        if configured.returncode != 0 or not any(assembling.glob("config*")):
            return None
        if folder.exists():  # made for another Graphviz: set aside, then replaced
            shutil.rmtree(folder.rename(cache_dir / f".graphviz-plugins-old-{os.getpid()}"), ignore_errors=True)
        try:
            assembling.rename(folder)
        except OSError:  # another build put its folder in place first
            if not _holds_plugins(folder, wanted):
                return None
        return folder
    finally:
        shutil.rmtree(assembling, ignore_errors=True)


def _holds_plugins(folder: Path, wanted: list[Path]) -> bool:
    """Whether ``folder`` links exactly ``wanted`` and has the configuration ``dot -c`` wrote."""
    try:
        links = {entry.name: os.readlink(entry) for entry in folder.iterdir() if entry.is_symlink()}
    except OSError:
        return False
    return links == {plugin.name: str(plugin) for plugin in wanted} and any(folder.glob("config*"))


def render_with_layout(dot: str, graph: DotGraph, image_path: str | None, plugin_dir: Path | None,
                       seconds: float = SECONDS_PER_CALL, *, layout: bool = True) -> tuple[bytes, dict | None]:
    """The SVG of ``graph`` and, from the same ``dot`` run (one process, one
    layout), that layout as ``dot``'s JSON: where every node, cluster and edge was placed."""
    arguments = [dot, "-Tsvg", *(["-Tjson"] if layout else [])]
    if image_path:
        # On the command line rather than in the DOT text, so the cache key and
        # the DOT text carry no path of the build machine.
        arguments.append(f"-Gimagepath={image_path}")
    environment = {**os.environ, "GVBINDIR": str(plugin_dir)} if plugin_dir else None
    DOT_STATS.count(processes=1, graphs=1)
    try:
        finished = subprocess.run(arguments, input=graph.source.encode("utf-8"), capture_output=True, check=False,
                                  timeout=seconds, env=environment)
    except subprocess.TimeoutExpired:
        message = f"{graph.name}: Graphviz dot did not finish within {seconds:g} s"
        raise GraphvizRenderError(message) from None
    if finished.returncode != 0 or b"</svg>" not in finished.stdout:
        detail = finished.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [str(finished.returncode)]
        raise GraphvizRenderError(f"{graph.name}: Graphviz dot failed: {detail[0]}")
    if not layout:
        return finished.stdout, None
    # The outputs follow each other in the order asked for; the SVG ends at its only </svg>.
    end = finished.stdout.index(b"</svg>") + len(b"</svg>")
    try:
        drawn = json.loads(finished.stdout[end:])
    except ValueError as error:
        raise GraphvizRenderError(f"{graph.name}: Graphviz dot wrote no readable layout: {error}") from None
    return finished.stdout[:end] + b"\n", drawn
