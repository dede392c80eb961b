"""Rendering graphs through a content-addressed cache.

Each SVG is stored under a key hashing every input: the DOT text, the element
id and title, the ``diagrams`` and Graphviz versions and this renderer's
version. An unchanged rebuild therefore starts ``dot`` zero times, and editing
one pattern re-renders only its diagrams. Every entry carries the SHA-256 of
its bytes; an entry that does not match (a partial write, a damaged disk) is
rendered again, never served.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from patternbook.diagrams.graph import BuiltGraph
from patternbook.diagrams.graphviz_dot import find_dot, graphviz_version, lean_plugin_directory, render_svgs
from patternbook.diagrams.kinds import icons_directory
from patternbook.diagrams.svg import make_self_contained

__all__ = ["RENDERER_VERSION", "render_graphs"]

#: Bump when the DOT building or SVG post-processing changes, to invalidate caches.
RENDERER_VERSION = "patternbook-diagrams-3-core-text-metrics"


def _key(graph: BuiltGraph, versions: tuple[str, str]) -> str:
    material = json.dumps([RENDERER_VERSION, *versions, graph.element_id, graph.title, graph.dot.source])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


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
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # readers see the old entry or the new one, never half of one


def render_graphs(graphs: Sequence[BuiltGraph], cache_dir: Path) -> list[bytes]:
    """Self-contained SVG bytes for each graph, in order."""
    if not graphs:
        return []
    dot = find_dot()
    versions = (metadata.version("diagrams"), graphviz_version(dot, cache_dir))
    keys = [_key(graph, versions) for graph in graphs]
    results: list[bytes | None] = [_read(cache_dir, key) for key in keys]
    missing = [index for index, found in enumerate(results) if found is None]
    if missing:
        # Identical graphs (same key) are laid out once.
        unique = list(dict.fromkeys(keys[index] for index in missing))
        first = {key: next(i for i in missing if keys[i] == key) for key in unique}
        rendered = render_svgs([graphs[first[key]].dot for key in unique], dot=dot,
                               image_path=str(icons_directory()), plugin_dir=lean_plugin_directory(dot, cache_dir))
        for key, raw in zip(unique, rendered, strict=True):
            graph = graphs[first[key]]
            content = make_self_contained(raw, element_id=graph.element_id, title=graph.title)
            _write(cache_dir, key, content)
            for index in missing:
                if keys[index] == key:
                    results[index] = content
    return [content for content in results if content is not None]
