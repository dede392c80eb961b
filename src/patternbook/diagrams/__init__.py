"""Pattern diagrams and relation graphs as self-contained SVG.

The only package that imports ``diagrams``. Specs become DOT through the
``diagrams`` node classes (:mod:`.graph`), DOT becomes SVG through batched
``dot`` processes (:mod:`.graphviz_dot`), SVG becomes publishable
(:mod:`.svg`), the same run yields the downloadable formats (:mod:`.downloads`),
and everything goes through a content-addressed cache (:mod:`.render`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from patternbook.catalogue import NEIGHBOURHOOD_LIMIT, Catalogue
from patternbook.diagrams.downloads import DOWNLOAD_FORMATS, diagram_downloads, text_downloads
from patternbook.diagrams.graph import BuiltGraph, build_diagram_graph, build_relation_graph
from patternbook.diagrams.graphviz_dot import DOT_STATS, GraphvizNotFound
from patternbook.diagrams.png import png_renderer
from patternbook.diagrams.render import GraphJob, PendingRender, render_graphs, start_graph_outputs
from patternbook.schema import Bundle

__all__ = [
    "DOT_STATS",
    "DOWNLOAD_FORMATS",
    "NEIGHBOURHOOD_EDGE_LIMIT",
    "GraphvizNotFound",
    "PendingRender",
    "inline_download_texts",
    "render_neighbourhood_graphs",
    "render_pattern_diagram_files",
    "render_pattern_diagrams",
    "start_pattern_diagram_files",
]


def render_pattern_diagrams(patterns: Iterable[Bundle], cache_dir: Path,
                            progress: Callable[[int, int], None] | None = None, *,
                            downloads: bool = True) -> dict[tuple[str, str], bytes]:
    """Every diagram of every pattern as SVG bytes, keyed by (slug, diagram id)."""
    files = render_pattern_diagram_files(patterns, cache_dir, progress, downloads=downloads)
    return {key: formats["svg"].read_bytes() for key, formats in files.items()}


def render_pattern_diagram_files(patterns: Iterable[Bundle], cache_dir: Path,
                                 progress: Callable[[int, int], None] | None = None, *,
                                 downloads: bool = True) -> dict[tuple[str, str], dict[str, Path]]:
    """Every diagram of every pattern as verified files in the cache, keyed by
    (slug, diagram id): the SVG and, unless ``downloads`` is false (the benchmark
    compares both), each of :data:`DOWNLOAD_FORMATS`, by suffix."""
    files, pending = start_pattern_diagram_files(patterns, cache_dir, progress, downloads=downloads)
    pending.wait()
    return files


def start_pattern_diagram_files(patterns: Iterable[Bundle], cache_dir: Path,
                                progress: Callable[[int, int], None] | None = None, *, downloads: bool = True,
                                background: bool = False,
                                ) -> tuple[dict[tuple[str, str], dict[str, Path]], PendingRender]:
    """Like :func:`render_pattern_diagram_files`, but with ``background`` a large cold
    render goes on in worker processes after this returns: the files are where the
    first value says once the second one's :meth:`~PendingRender.wait` returns."""
    keys: list[tuple[str, str]] = []
    jobs: list[GraphJob] = []
    # The PNG is drawn by cairo and deflated by zlib: their versions are inputs of every entry.
    png = png_renderer()
    for pattern in patterns:
        for diagram in pattern.diagrams:
            keys.append((pattern.slug, diagram.id))
            # The spec and slug determine the DOT text, so they identify the output
            # without building it: a warm rebuild never touches the diagrams package.
            identity = json.dumps([pattern.slug, diagram.model_dump(mode="json"), png], sort_keys=True)
            build = functools.partial(build_diagram_graph, pattern.slug, diagram)
            jobs.append(GraphJob(identity, build, downloads=diagram_downloads(pattern.slug, diagram),
                                 formats=DOWNLOAD_FORMATS) if downloads else GraphJob(identity, build))
    pending = start_graph_outputs(jobs, cache_dir, progress, background=background)
    return dict(zip(keys, pending.paths, strict=True)), pending


def inline_download_texts(patterns: Iterable[Bundle], files: dict[tuple[str, str], dict[str, Path]],
                          pending: PendingRender) -> dict[tuple[str, str], dict[str, str]]:
    """The text of each diagram's downloads that its page carries as ``data:`` links
    (:data:`~patternbook.schema.diagram.INLINE_DOWNLOAD_FORMATS`), by (slug, diagram id)
    and suffix, for pages planned while ``pending`` may still be drawing.

    Read from the cache where the render found them (a warm build reads a few KB a
    diagram and builds nothing); for a diagram still being drawn, made here from its spec
    by the same function the render uses (:func:`~.downloads.text_downloads`), so the
    page holds the bytes the cache will: about 2.5 ms a diagram, on a cold build only."""
    from patternbook.schema.diagram import INLINE_DOWNLOAD_FORMATS

    ready = dict(zip(files, pending.ready, strict=True))
    texts: dict[tuple[str, str], dict[str, str]] = {}
    for pattern in patterns:
        for diagram in pattern.diagrams:
            key = (pattern.slug, diagram.id)
            if ready[key]:
                made = {suffix: files[key][suffix].read_bytes() for suffix in INLINE_DOWNLOAD_FORMATS}
            else:
                made = text_downloads(pattern.slug, diagram, build_diagram_graph(pattern.slug, diagram))
            texts[key] = {suffix: made[suffix].decode("utf-8") for suffix in sorted(INLINE_DOWNLOAD_FORMATS)}
    return texts


#: The most relations a neighbourhood graph draws: its :data:`~patternbook.catalogue.NEIGHBOURHOOD_LIMIT`
#: neighbours each have up to 20 relations, and ``dot`` needed 13 s for the 400 drawn between
#: 31 patterns related that densely; 60 leave room for every relation of the pattern itself.
NEIGHBOURHOOD_EDGE_LIMIT = 60


def render_neighbourhood_graphs(catalogue: Catalogue, cache_dir: Path, *, link: Callable[[str], str],
                                slugs: Iterable[str] | None = None) -> dict[str, str]:
    """Each pattern's neighbourhood (itself and the patterns it relates to) as SVG
    text ready to inline in its page, nodes linking through ``link``.

    At most :data:`~patternbook.catalogue.NEIGHBOURHOOD_LIMIT` neighbours are drawn,
    the nearest (:meth:`~patternbook.catalogue.Catalogue.neighbours`); the page says
    how many more there are. The catalogue-wide graph is not drawn here either: ``dot``
    needs seconds for 100 randomly related patterns and minutes for 1,000 (see
    :mod:`patternbook.pages.relation_map`), and a pattern 1,000 bundles relate to
    would bring the same graph back as its neighbourhood.

    ``slugs`` limits the work to those bundles (a preview redraws only the edited one)."""
    slugs = list(catalogue.entries) if slugs is None else [s for s in slugs if s in catalogue.entries]
    jobs = [_relation_job(catalogue.neighbourhood(slug, NEIGHBOURHOOD_LIMIT), link, f"relations-{slug}",
                          _neighbourhood_title(catalogue, slug), slug) for slug in slugs]
    return dict(zip(slugs, (svg.decode("utf-8") for svg in render_graphs(jobs, cache_dir)), strict=True))


def _neighbourhood_title(catalogue: Catalogue, slug: str) -> str:
    title = f"Patterns related to {catalogue.entries[slug].title}"
    related = len(catalogue.neighbours(slug))
    return f"{title}: the {NEIGHBOURHOOD_LIMIT} nearest of {related}" if related > NEIGHBOURHOOD_LIMIT else title


def _relation_job(catalogue: Catalogue, link: Callable[[str], str], element_id: str, title: str,
                  centre: str) -> GraphJob:
    """A relation graph of ``centre``'s neighbourhood, identified by what it draws (patterns,
    categories, relations, links), so a warm rebuild need not build its DOT text to find it
    in the cache. At most :data:`NEIGHBOURHOOD_EDGE_LIMIT` relations are drawn, the
    centre's first (:func:`~patternbook.diagrams.graph.build_relation_graph`)."""
    identity = json.dumps([
        element_id, title, centre, NEIGHBOURHOOD_EDGE_LIMIT, [c.id for c in catalogue.categories],
        [(p.slug, p.kind, p.title, p.category, link(p.slug)) for p in catalogue.entries.values()],
        sorted((e.source, e.target, e.type) for e in catalogue.relation_edges()),
    ])

    def build() -> BuiltGraph:
        graph = build_relation_graph(catalogue, link, element_id, centre=centre,
                                     max_edges=NEIGHBOURHOOD_EDGE_LIMIT)
        return BuiltGraph(graph.dot, element_id, title, links=graph.links)

    return GraphJob(identity, build)
