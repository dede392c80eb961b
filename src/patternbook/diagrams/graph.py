"""Diagram specs → DOT text, drawn with the ``diagrams`` package's node classes.

``diagrams`` supplies the look (icons, node and cluster styling); Patternbook
supplies everything else. Its usual entry point, ``with Diagram(...)``, is not
used: leaving that block renders a file into the working directory and may
open a viewer. Here the ``Diagram``, ``Cluster``, ``Node`` and ``Edge`` objects
are created inside a private :mod:`contextvars` context, never entered as a
``with`` block, and only their ``graphviz.Digraph`` is kept — its DOT text is
rendered by :mod:`patternbook.diagrams.graphviz_dot`.

What contributors write reaches the DOT text only as the *text* of labels:
node ids come from the spec (``diagrams`` would pick random ones, which would
make output differ on every build), labels go through :func:`_label` (a
backslash can never start an escape such as ``\\N``, an ``&`` never an entity,
and a label is always a quoted string, never HTML-like); every attribute is
chosen here, from closed vocabularies.
"""

from __future__ import annotations

import contextvars
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import diagrams
import graphviz
from diagrams import Cluster, Edge, Node

from patternbook.catalogue import Catalogue
from patternbook.diagrams.graphviz_dot import DotGraph
from patternbook.diagrams.kinds import icon_name, node_class
from patternbook.escaping import dot_string
from patternbook.schema import Diagram, DiagramCluster
from patternbook.schema.diagram_kinds import known_node_kinds
from patternbook.validation.cross_bundle import SYMMETRIC_RELATIONS

__all__ = [
    "ANTI_PATTERN_NODE_LABEL",
    "RELATION_GRAPH_ID",
    "BuiltGraph",
    "build_diagram_graph",
    "build_relation_graph",
    "pattern_page_link",
    "svg_element_id",
]

#: The id of the catalogue-wide relation graph (its file is ``relations.svg``).
RELATION_GRAPH_ID = "relations"

#: ``diagrams`` defaults, except: a narrow margin instead of two inches, an
#: explicit white background (a light "card" that keeps dark text and dark
#: icons legible in Material's slate scheme too, even when the SVG is shown
#: through ``<img>``, which cannot see the page's colour scheme), and no
#: visible title (the page prints the title and caption as text).
_GRAPH_ATTRIBUTES = {"pad": "0.3", "bgcolor": "#FFFFFF", "label": ""}

_EDGE_STYLES = {"solid": "", "dashed": "dashed", "dotted": "dotted", "bold": "bold"}

#: How each relation type is drawn: (line style, colour, directed).
_RELATION_STYLES: dict[str, tuple[str, str, bool]] = {
    "complements": ("solid", "#3C6E9F", False),
    "alternative_to": ("dashed", "#5F6B76", False),
    "conflicts_with": ("dotted", "#B03A2E", False),
    "requires": ("solid", "#2D3436", True),
    "part_of": ("solid", "#1E7D55", True),
    "supersedes": ("bold", "#7D3C98", True),
    # Anti-patterns: the way out is drawn bold and green, ties between anti-patterns in red.
    "refactor_to": ("bold", "#1E7D55", True),
    "found_with": ("dotted", "#B03A2E", False),
    "leads_to": ("dashed", "#B03A2E", True),
}

#: How an anti-pattern node differs from a pattern node, so it reads as one
#: without colour too: an octagon with a heavy red outline and the word
#: "Anti-pattern" above its title.
_ANTI_PATTERN_NODE = {"shape": "octagon", "fillcolor": "#FDECEA", "color": "#B03A2E", "penwidth": "2",
                      "style": "filled"}
ANTI_PATTERN_NODE_LABEL = "Anti-pattern"

#: Pale fills for the relation graph, one per category in catalogue order;
#: all light, so the dark label text stays readable on the white card.
_CATEGORY_FILLS = ("#E5F5FD", "#EBF3E7", "#ECE8F6", "#FDF7E3", "#FDECEA", "#E8F6F3", "#F4ECF7", "#FEF5E7")


@dataclass(frozen=True)
class BuiltGraph:
    """A graph ready for ``dot`` plus what the SVG post-processing must know."""

    dot: DotGraph
    element_id: str
    """Prefix of every ``id`` in the SVG, unique per diagram so several SVGs can
    be inlined in one HTML page."""
    title: str
    """Accessible name, written into the SVG's ``<title>``."""
    icons: tuple[str, ...] = ()
    """Icon names (relative to the ``diagrams`` icon folder), one per node,
    sorted; the SVG must show exactly these."""
    links: frozenset[str] = field(default_factory=frozenset)
    """Link targets the SVG may contain (relation graph only)."""


def svg_element_id(slug: str, diagram_id: str) -> str:
    return f"{slug}--{diagram_id}"


def pattern_page_link(slug: str) -> str:
    """Where a relation-graph node links: the pattern page, relative to a page one
    level below the site root (``/patterns/`` → ``/circuit-breaker/``)."""
    return f"../{slug}/"


def _label(text: str, wrap: int | None = None, heading: str | None = None) -> str:
    """Contributor text as a DOT label that can only ever mean that text.

    Every line is escaped with :func:`~patternbook.escaping.dot_string`, the
    lines are joined with DOT's centred line break, and the *joined* result is
    marked ``nohtml``: a label is then always written as a quoted string, even
    when it starts with ``<`` and ends with ``>`` (which ``graphviz`` would
    otherwise pass through as an HTML-like label that can carry links).
    """
    lines = (textwrap.wrap(text, wrap) or [text]) if wrap else [text]
    if heading is not None:  # joined here, before the marking: a joined label loses graphviz's marker
        lines = [heading, *lines]
    return graphviz.nohtml("\\n".join(dot_string(line) for line in lines))


def _isolated(build: Callable[[], diagrams.Diagram]) -> diagrams.Diagram:
    """Run ``build`` in a fresh context so the ``diagrams`` globals (current
    diagram and cluster) never leak between diagrams or threads."""
    return contextvars.Context().run(build)


def build_diagram_graph(slug: str, diagram: Diagram) -> BuiltGraph:
    """The DOT graph of one validated diagram spec."""
    for node in diagram.nodes:
        if node.kind not in known_node_kinds():
            raise ValueError(f"{slug}/{diagram.id}: node '{node.id}' has unknown kind '{node.kind}' "
                             "(the spec was not validated)")
    element_id = svg_element_id(slug, diagram.id)
    children: dict[str | None, list[DiagramCluster]] = {}
    for cluster in diagram.clusters:
        children.setdefault(cluster.parent, []).append(cluster)
    nodes_in: dict[str | None, list] = {}
    for node in diagram.nodes:
        nodes_in.setdefault(node.cluster, []).append(node)
    created: dict[str, Node] = {}

    def add_nodes(cluster_id: str | None) -> None:
        for node in nodes_in.get(cluster_id, []):
            node_type = node_class(node.kind)
            created[node.id] = node_type(_label(node.label), nodeid=node.id, image=icon_name(node_type))

    def add_cluster(cluster: DiagramCluster) -> None:
        # Clusters would inherit the graph's id; SVG ids must be unique.
        drawn = Cluster(_label(cluster.label), graph_attr={"id": f"{element_id}_cluster_{cluster.id}"})
        drawn.dot.name = f"cluster_{cluster.id}"  # diagrams names it after the label, which may repeat
        drawn.__enter__()
        try:
            add_nodes(cluster.id)
            for child in children.get(cluster.id, []):
                add_cluster(child)
        finally:
            drawn.__exit__(None, None, None)  # attaches the cluster to its parent; renders nothing

    def build() -> diagrams.Diagram:
        drawing = diagrams.Diagram(diagram.id, direction=diagram.direction, outformat="svg", show=False,
                                   graph_attr={**_GRAPH_ATTRIBUTES, "id": element_id})
        diagrams.setdiagram(drawing)
        add_nodes(None)
        for cluster in children.get(None, []):
            add_cluster(cluster)
        for edge in diagram.edges:
            created[edge.source].connect(created[edge.target], Edge(
                forward=True, label=_label(edge.label) if edge.label else "", style=_EDGE_STYLES[edge.style]))
        return drawing

    drawing = _isolated(build)
    icons = tuple(sorted(icon_name(node_class(node.kind)) for node in diagram.nodes))
    return BuiltGraph(DotGraph(f"{slug}/{diagram.id}", drawing.dot.source), element_id, diagram.title, icons)


def build_relation_graph(catalogue: Catalogue, link: Callable[[str], str] = pattern_page_link,
                         element_id: str = "patternbook-relations", *, centre: str | None = None,
                         max_edges: int | None = None) -> BuiltGraph:
    """Patterns and anti-patterns as nodes (linking to their pages), typed relations as edges.

    Symmetric relations (``complements``, ``alternative_to``,
    ``conflicts_with``) are listed by both patterns but drawn once, undirected.
    ``element_id`` prefixes every id in the SVG (``dot`` derives node and edge
    ids from it), so each pattern's neighbourhood graph has ids of its own.

    With ``max_edges``, at most that many relations are drawn: those of ``centre``
    first, then the others in a fixed order. ``dot``'s time grows with the labelled
    edges, and 30 neighbours that each relate to 20 of the others are some 400 of them
    (13 s for one graph, near ``dot``'s time limit on a busy machine).
    """
    fills = {category.id: _CATEGORY_FILLS[index % len(_CATEGORY_FILLS)]
             for index, category in enumerate(catalogue.categories)}
    edges: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for relation in catalogue.relation_edges():
        source, target = relation.source, relation.target
        if relation.type in SYMMETRIC_RELATIONS:
            source, target = sorted((source, target))
        if (source, target, relation.type) not in seen and source != target:
            seen.add((source, target, relation.type))
            edges.append((source, target, relation.type))
    if max_edges is not None and len(edges) > max_edges:
        edges = sorted(edges, key=lambda edge: (centre not in edge[:2], edge))[:max_edges]
    links = {slug: link(slug) for slug in catalogue.entries}

    def build() -> diagrams.Diagram:
        drawing = diagrams.Diagram(
            RELATION_GRAPH_ID, direction="LR", outformat="svg", show=False,
            graph_attr={**_GRAPH_ATTRIBUTES, "id": element_id, "splines": "spline",
                        "nodesep": "0.4", "ranksep": "0.9"},
            node_attr={"fixedsize": "false", "width": "0", "height": "0", "margin": "0.15,0.08",
                       "labelloc": "c", "style": "rounded,filled", "color": "#7B8894"},
        )
        diagrams.setdiagram(drawing)
        nodes = {
            slug: Node(_label(pattern.title, wrap=24), nodeid=slug, href=links[slug], target="_top",
                       fillcolor=fills.get(pattern.category, _CATEGORY_FILLS[0]))
            for slug, pattern in catalogue.patterns.items()
        }
        for slug, anti_pattern in catalogue.anti_patterns.items():
            label = _label(anti_pattern.title, wrap=24, heading=ANTI_PATTERN_NODE_LABEL)
            nodes[slug] = Node(label, nodeid=slug, href=links[slug], target="_top", **_ANTI_PATTERN_NODE)
        for source, target, relation_type in sorted(edges):
            style, colour, directed = _RELATION_STYLES[relation_type]
            nodes[source].connect(nodes[target], Edge(
                forward=directed, label=relation_type.replace("_", " "), color=colour,
                style=_EDGE_STYLES[style], fontsize="11", fontcolor=colour))
        return drawing

    drawing = _isolated(build)
    title = f"Relations between the {len(catalogue.entries)} patterns and anti-patterns of the catalogue"
    return BuiltGraph(DotGraph(RELATION_GRAPH_ID, drawing.dot.source), element_id, title,
                      links=frozenset(links.values()))

