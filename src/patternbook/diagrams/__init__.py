"""Pattern diagrams and relation graphs as self-contained SVG.

The only package that imports ``diagrams``. Specs become DOT through the
``diagrams`` node classes (:mod:`.graph`), DOT becomes SVG through batched
``dot`` processes (:mod:`.graphviz_dot`), SVG becomes publishable
(:mod:`.svg`), and everything goes through a content-addressed cache
(:mod:`.render`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from patternbook.catalogue import Catalogue
from patternbook.diagrams.graph import BuiltGraph, build_diagram_graph, build_relation_graph
from patternbook.diagrams.graphviz_dot import DOT_STATS, GraphvizNotFound, GraphvizRenderError
from patternbook.diagrams.render import GraphJob, render_graph_files, render_graphs
from patternbook.schema import Pattern

#: Above this many patterns, or this many relations, the catalogue-wide
#: relation graph is not drawn: ``dot`` needs minutes for it (120 patterns with
#: 8 relations each took over two minutes) and nobody can read the result.
MAX_RELATION_GRAPH_PATTERNS = 120
MAX_RELATION_GRAPH_EDGES = 400
#: The catalogue-wide graph is optional: one that takes longer than this is left
#: out (and remembered in the cache as too slow) instead of failing the build.
RELATION_GRAPH_SECONDS = 20.0

log = logging.getLogger("patternbook.diagrams")

__all__ = [
    "DOT_STATS",
    "MAX_RELATION_GRAPH_EDGES",
    "MAX_RELATION_GRAPH_PATTERNS",
    "RELATION_GRAPH_SECONDS",
    "GraphvizNotFound",
    "render_pattern_diagram_files",
    "render_pattern_diagrams",
    "render_relation_graphs",
]


def render_pattern_diagrams(patterns: Iterable[Pattern], cache_dir: Path,
                            progress: Callable[[int, int], None] | None = None) -> dict[tuple[str, str], bytes]:
    """Every diagram of every pattern as SVG bytes, keyed by (slug, diagram id)."""
    return {key: path.read_bytes() for key, path in render_pattern_diagram_files(patterns, cache_dir, progress).items()}


def render_pattern_diagram_files(patterns: Iterable[Pattern], cache_dir: Path,
                                 progress: Callable[[int, int], None] | None = None) -> dict[tuple[str, str], Path]:
    """Every diagram of every pattern as a verified SVG file in the cache, keyed by (slug, diagram id)."""
    keys: list[tuple[str, str]] = []
    jobs: list[GraphJob] = []
    for pattern in patterns:
        for diagram in pattern.diagrams:
            keys.append((pattern.slug, diagram.id))
            # The spec and slug determine the DOT text, so they identify the output
            # without building it: a warm rebuild never touches the diagrams package.
            identity = json.dumps([pattern.slug, diagram.model_dump(mode="json")], sort_keys=True)
            jobs.append(GraphJob(identity, functools.partial(build_diagram_graph, pattern.slug, diagram)))
    return dict(zip(keys, render_graph_files(jobs, cache_dir, progress), strict=True))


def render_relation_graphs(catalogue: Catalogue, cache_dir: Path, *, catalogue_link: Callable[[str], str],
                           neighbourhood_link: Callable[[str], str]) -> tuple[str | None, dict[str, str]]:
    """The whole catalogue's relation graph, and each pattern's neighbourhood,
    as SVG text ready to inline in a page (nodes are links).

    The whole graph is left out (``None``) above :data:`MAX_RELATION_GRAPH_PATTERNS`
    patterns or :data:`MAX_RELATION_GRAPH_EDGES` relations, or when ``dot`` does
    not finish it in time; each pattern's neighbourhood still shows.
    """
    slugs = list(catalogue.patterns)
    jobs = [_relation_job(catalogue.neighbourhood(slug), neighbourhood_link, f"relations-{slug}",
                          f"Patterns related to {catalogue.patterns[slug].title}") for slug in slugs]
    neighbourhoods = dict(zip(slugs, (svg.decode("utf-8") for svg in render_graphs(jobs, cache_dir)), strict=True))
    edges = len({(e.source, e.target, e.type) for e in catalogue.relation_edges()})
    if len(slugs) > MAX_RELATION_GRAPH_PATTERNS or edges > MAX_RELATION_GRAPH_EDGES:
        return None, neighbourhoods
    whole = _relation_job(catalogue, catalogue_link, "patternbook-relations",
                          f"Relations between the {len(slugs)} patterns of the catalogue")
    return _optional_graph(whole, cache_dir), neighbourhoods


def _optional_graph(job: GraphJob, cache_dir: Path) -> str | None:
    """The SVG of a graph the library can do without, or ``None`` when ``dot``
    fails or needs longer than :data:`RELATION_GRAPH_SECONDS`. A graph that was
    too slow once is not tried again until what it draws changes."""
    marker = cache_dir / "diagrams" / "too-slow" / hashlib.sha256(job.identity.encode("utf-8")).hexdigest()
    if marker.exists():
        return None
    try:
        return render_graphs([job], cache_dir, seconds=RELATION_GRAPH_SECONDS)[0].decode("utf-8")
    except GraphvizRenderError as error:
        log.info("the catalogue-wide relation graph is left out: %s", error)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(error), encoding="utf-8")
        return None


def _relation_job(catalogue: Catalogue, link: Callable[[str], str], element_id: str, title: str) -> GraphJob:
    """A relation graph identified by what it draws (patterns, categories, relations,
    links), so a warm rebuild need not build its DOT text to find it in the cache."""
    identity = json.dumps([
        element_id, title, [c.id for c in catalogue.categories],
        [(p.slug, p.title, p.category, link(p.slug)) for p in catalogue.patterns.values()],
        sorted((e.source, e.target, e.type) for e in catalogue.relation_edges()),
    ])

    def build() -> BuiltGraph:
        graph = build_relation_graph(catalogue, link, element_id)
        return BuiltGraph(graph.dot, element_id, title, links=graph.links)

    return GraphJob(identity, build)
