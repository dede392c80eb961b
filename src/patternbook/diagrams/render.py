"""Rendering graphs through a content-addressed cache.

Each SVG is stored under a key hashing every input: the diagram spec (or, for
relation graphs, the DOT text), the ``diagrams`` and Graphviz versions and this
renderer's version. An unchanged rebuild therefore starts ``dot`` zero times
and does not even build the DOT text; editing one pattern re-renders only its
diagrams. Every entry carries the SHA-256 of its bytes; an entry that does not
match (a partial write, a damaged disk) is rendered again, never served.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from patternbook.diagrams.graph import BuiltGraph
from patternbook.diagrams.graphviz_dot import (
    SECONDS_PER_CALL,
    find_dot,
    graphviz_version,
    lean_plugin_directory,
    render_one,
)
from patternbook.diagrams.kinds import icons_directory
from patternbook.diagrams.svg import make_self_contained

__all__ = ["RENDERER_VERSION", "GraphJob", "render_graph_files", "render_graphs"]

#: Bump when the DOT building or SVG post-processing changes, to invalidate caches.
RENDERER_VERSION = "patternbook-diagrams-7-inert-labels"


@dataclass(frozen=True)
class GraphJob:
    """A graph to render: what identifies its output, and how to build it if needed."""

    identity: str
    """Everything the output depends on besides tool versions (a spec as JSON, or DOT text)."""
    build: Callable[[], BuiltGraph]


def _entry(cache_dir: Path, key: str) -> tuple[Path, Path]:
    folder = cache_dir / "diagrams" / key[:2]
    return folder / f"{key}.svg", folder / f"{key}.sha256"


def _read(cache_dir: Path, key: str) -> bytes | None:
    svg_path, digest_path = _entry(cache_dir, key)
    try:
        content, digest = svg_path.read_bytes(), digest_path.read_text(encoding="ascii").strip()
    except OSError:
        return None
    return content if hashlib.sha256(content).hexdigest() == digest else None


def _write(cache_dir: Path, key: str, content: bytes) -> None:
    svg_path, digest_path = _entry(cache_dir, key)
    svg_path.parent.mkdir(parents=True, exist_ok=True)
    for path, data in ((svg_path, content), (digest_path, hashlib.sha256(content).hexdigest().encode())):
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{id(data)}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # readers see the old entry or the new one, never half of one


Progress = Callable[[int, int], None]


def render_graphs(jobs: Sequence[GraphJob], cache_dir: Path, progress: Progress | None = None,
                  seconds: float = SECONDS_PER_CALL) -> list[bytes]:
    """Self-contained SVG bytes for each job, in order; ``progress(done, total)``
    is told about each graph that had to be rendered."""
    return [path.read_bytes() for path in render_graph_files(jobs, cache_dir, progress, seconds)]


def render_graph_files(jobs: Sequence[GraphJob], cache_dir: Path, progress: Progress | None = None,
                       seconds: float = SECONDS_PER_CALL) -> list[Path]:
    """Like :func:`render_graphs`, but the verified cache files themselves: a
    large site then holds no SVG in memory, only paths to copy."""
    if not jobs:
        return []
    dot = find_dot()
    versions = [RENDERER_VERSION, metadata.version("diagrams"), graphviz_version(dot, cache_dir)]
    keys = [hashlib.sha256(json.dumps([*versions, job.identity]).encode("utf-8")).hexdigest() for job in jobs]
    results: dict[str, Path] = {}
    for key in keys:
        if key not in results and _read(cache_dir, key) is not None:
            results[key] = _entry(cache_dir, key)[0]
    missing = {key: job for key, job in zip(keys, jobs, strict=True) if key not in results}
    if missing:
        plugin_dir = lean_plugin_directory(dot, cache_dir)
        image_path = str(icons_directory())

        def produce(item: tuple[str, GraphJob]) -> tuple[str, Path]:
            # Building DOT and post-processing hold the GIL; dot itself runs in its own
            # process, so a few threads keep both the interpreter and the CPUs busy.
            key, job = item
            graph = job.build()
            raw = render_one(dot, graph.dot, image_path, plugin_dir, seconds)
            content = make_self_contained(raw, element_id=graph.element_id, title=graph.title, links=graph.links)
            _write(cache_dir, key, content)
            return key, _entry(cache_dir, key)[0]

        workers = max(1, min((os.cpu_count() or 1) + 1, len(missing)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done, (key, content) in enumerate(pool.map(produce, missing.items()), start=1):
                results[key] = content
                if progress is not None:
                    progress(done, len(missing))
    return [results[key] for key in keys]
