"""Rendering graphs through a content-addressed cache.

Each SVG, with the downloadable formats of a pattern diagram (PNG, draw.io,
Mermaid, DOT), is stored under a key hashing every input: the diagram spec (or,
for relation graphs, the DOT text), the formats, the ``diagrams``, cairo, zlib and
Graphviz versions and this renderer's version. An unchanged rebuild therefore starts ``dot`` zero times
and does not even build the DOT text; editing one pattern re-renders only its
diagrams. Every entry carries a manifest of the SHA-256 of each of its files; an entry that does not
match (a partial write, a damaged disk) is rendered again, never served.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from patternbook.diagrams.graph import BuiltGraph
from patternbook.diagrams.graphviz_dot import (
    SECONDS_PER_CALL,
    find_dot,
    graphviz_version,
    lean_plugin_directory,
    render_with_layout,
)
from patternbook.diagrams.kinds import icons_directory
from patternbook.diagrams.svg import make_self_contained

__all__ = [
    "RENDERER_VERSION",
    "Downloads",
    "GraphJob",
    "PendingRender",
    "render_graph_outputs",
    "render_graphs",
    "start_graph_outputs",
]

#: Bump when the DOT building or SVG post-processing changes, to invalidate caches.
RENDERER_VERSION = "patternbook-diagrams-13-icons-1.5x-drawio-text-kept-zlib-9"


Downloads = Callable[[BuiltGraph, bytes, dict], dict[str, bytes]]
"""Further files made from a drawn graph (its DOT, its SVG, ``dot``'s layout), by file suffix."""


@dataclass(frozen=True)
class GraphJob:
    """A graph to render: what identifies its output, and how to build it if needed."""

    identity: str
    """Everything the output depends on besides tool versions (a spec as JSON, or DOT text)."""
    build: Callable[[], BuiltGraph]
    downloads: Downloads | None = None
    """Makes the other formats of the graph from the same ``dot`` run; None: the SVG only."""
    formats: tuple[str, ...] = ()
    """The suffixes ``downloads`` returns, besides ``svg``; part of the cache key."""


def _folder(cache_dir: Path, key: str) -> Path:
    return cache_dir / "diagrams" / key[:2]


def _entry(cache_dir: Path, key: str, suffix: str = "svg") -> Path:
    return _folder(cache_dir, key) / f"{key}.{suffix}"


def _manifest(cache_dir: Path, key: str) -> Path:
    return _folder(cache_dir, key) / f"{key}.sha256"


def _read(cache_dir: Path, key: str, suffixes: Sequence[str]) -> dict[str, Path] | None:
    """The entry's files by suffix, if every one is present and matches its recorded SHA-256."""
    try:
        recorded = dict(line.split(" ", 1)[::-1] for line in
                        _manifest(cache_dir, key).read_text(encoding="ascii").splitlines() if " " in line)
        files = {suffix: _entry(cache_dir, key, suffix) for suffix in suffixes}
        for suffix, path in files.items():
            if hashlib.sha256(path.read_bytes()).hexdigest() != recorded.get(suffix):
                return None
    except (OSError, ValueError):
        return None
    return files


def _write(cache_dir: Path, key: str, contents: dict[str, bytes]) -> dict[str, Path]:
    """Every file of an entry, then the manifest of their digests, each replaced
    atomically: a reader sees a complete entry or one whose digests do not match."""
    _folder(cache_dir, key).mkdir(parents=True, exist_ok=True)
    manifest = "".join(f"{hashlib.sha256(data).hexdigest()} {suffix}\n" for suffix, data in contents.items())
    files = {suffix: _entry(cache_dir, key, suffix) for suffix in contents}
    for path, data in [*((files[suffix], data) for suffix, data in contents.items()),
                       (_manifest(cache_dir, key), manifest.encode("ascii"))]:
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # readers see the old file or the new one, never half of one
    return files


Progress = Callable[[int, int], None]


def render_graphs(jobs: Sequence[GraphJob], cache_dir: Path, progress: Progress | None = None,
                  seconds: float = SECONDS_PER_CALL) -> list[bytes]:
    """Self-contained SVG bytes for each job, in order; ``progress(done, total)``
    is told about each graph that had to be rendered."""
    return [files["svg"].read_bytes() for files in render_graph_outputs(jobs, cache_dir, progress, seconds)]


def render_graph_outputs(jobs: Sequence[GraphJob], cache_dir: Path, progress: Progress | None = None,
                         seconds: float = SECONDS_PER_CALL) -> list[dict[str, Path]]:
    """Every file of each job (``svg`` and its :attr:`GraphJob.formats`), verified
    in the cache, by suffix. A warm entry starts no process and imports nothing:
    all formats of a graph are made in the same render and cached together."""
    return start_graph_outputs(jobs, cache_dir, progress, seconds).wait()


class PendingRender:
    """A render that may still be running in worker processes: where each job's files
    will be (known before they are drawn, the cache being content-addressed) and a
    way to wait for them. Rendering errors are raised by :meth:`wait`."""

    def __init__(self, paths: list[dict[str, Path]], remaining: Iterator[tuple[str, dict[str, Path]]] | None = None,
                 total: int = 0, progress: Progress | None = None, pool: Any = None,
                 ready: list[bool] | None = None) -> None:
        self.paths = paths
        self.ready = ready if ready is not None and remaining is not None else [True] * len(paths)
        """Per job: whether its files are in the cache already; the others are being drawn
        in the background until :meth:`wait` returns."""
        self._remaining, self._total, self._progress, self._pool = remaining, total, progress, pool

    @property
    def running(self) -> bool:
        return self._remaining is not None

    def wait(self) -> list[dict[str, Path]]:
        """Each job's files, once every one of them is written."""
        if self._remaining is not None:
            try:
                for done, _ in enumerate(self._remaining, start=1):
                    if self._progress is not None:
                        self._progress(done, self._total)
            except BaseException:
                self.cancel()
                raise
            self._remaining = None
            self.ready = [True] * len(self.paths)
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
        return self.paths

    def cancel(self) -> None:
        """Stop the workers without waiting for what they have not started (a failed build)."""
        self._remaining = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def start_graph_outputs(jobs: Sequence[GraphJob], cache_dir: Path, progress: Progress | None = None,
                        seconds: float = SECONDS_PER_CALL, *, background: bool = False) -> PendingRender:
    """Like :func:`render_graph_outputs`. With ``background``, a large cold render
    that can run in forked worker processes (:func:`_forked_pool`) is left running
    there, so the caller can build pages meanwhile and :meth:`PendingRender.wait`
    for the files only when it copies them; anything else is finished on return."""
    if not jobs:
        return PendingRender([])
    dot = find_dot()
    versions = [RENDERER_VERSION, metadata.version("diagrams"), graphviz_version(dot, cache_dir)]
    keys = [hashlib.sha256(json.dumps([*versions, job.formats, job.identity]).encode("utf-8")).hexdigest()
            for job in jobs]
    paths = [{suffix: _entry(cache_dir, key, suffix) for suffix in ("svg", *job.formats)}
             for key, job in zip(keys, jobs, strict=True)]
    found: set[str] = set()
    for key, job in zip(keys, jobs, strict=True):
        if key not in found and _read(cache_dir, key, ("svg", *job.formats)) is not None:
            found.add(key)
    missing = {key: job for key, job in zip(keys, jobs, strict=True) if key not in found}
    if not missing:
        return PendingRender(paths)
    plugin_dir = lean_plugin_directory(dot, cache_dir)
    image_path = str(icons_directory())

    def produce(item: tuple[str, GraphJob]) -> tuple[str, dict[str, Path]]:
        # Building DOT and post-processing hold the GIL; dot itself runs in its own
        # process, so a few threads keep both the interpreter and the CPUs busy.
        key, job = item
        graph = job.build()
        raw, layout = render_with_layout(dot, graph.dot, image_path, plugin_dir, seconds,
                                         layout=job.downloads is not None)
        content = make_self_contained(raw, element_id=graph.element_id, title=graph.title, links=graph.links)
        contents = {"svg": content}
        if job.downloads is not None:
            made = job.downloads(graph, content, layout or {})
            if set(made) != set(job.formats):
                raise ValueError(f"{graph.dot.name}: made {sorted(made)}, expected {sorted(job.formats)}")
            contents.update((suffix, made[suffix]) for suffix in job.formats)
        return key, _write(cache_dir, key, contents)

    items = list(missing.items())
    pool = _forked_pool(len(items))
    if pool is None:
        with ThreadPoolExecutor(max_workers=max(1, min((os.cpu_count() or 1) + 1, len(items)))) as threads:
            PendingRender(paths, threads.map(produce, items), len(items), progress).wait()
        return PendingRender(paths)
    global _forked_work
    _forked_work = (produce, items)
    try:
        # map() submits every chunk at once, and the pool forks all its workers on the
        # first submission, so they hold ``_forked_work`` before it is cleared.
        remaining = pool.map(_produce_forked, range(len(items)), chunksize=4)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        _forked_work = None
    pending = PendingRender(paths, remaining, len(items), progress, pool, [key in found for key in keys])
    return pending if background else PendingRender(pending.wait())


#: From this many cold graphs on, they are rendered in forked worker processes rather than threads:
#: building DOT, checking the SVG and drawing the downloads (PNG, draw.io, Mermaid) is Python that
#: holds the GIL, so threads keep only one core busy (a cold 1,000-pattern build spent most of its
#: time there). Below it, starting processes costs more than it saves.
FORK_FROM = 48

_forked_work: tuple[Callable, list] | None = None


def _produce_forked(index: int) -> tuple[str, dict[str, Path]]:
    produce, items = _forked_work
    return produce(items[index])


def _forked_pool(count: int) -> Any:
    """A pool of forked workers for ``count`` cold graphs, or None where threads serve:
    a small render, one core, no ``fork``, or another thread running in this process
    (a fork copies only the calling thread, so a server thread's held lock could never
    be released in the child)."""
    import multiprocessing

    cores = os.cpu_count() or 1
    if (count < FORK_FROM or cores < 2 or threading.active_count() != 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return None
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=cores + 1, mp_context=multiprocessing.get_context("fork"))
