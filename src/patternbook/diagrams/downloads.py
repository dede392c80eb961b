"""The downloadable forms of a pattern diagram, beside its SVG.

Readers redraw our diagrams in their own tools, so each one is offered as a
PNG picture, a draw.io file, a Mermaid flowchart and its Graphviz DOT source.
All of them come from the same validated spec and the same ``dot`` layout run
as the SVG (``dot`` writes its layout as JSON in that run), never from
contributor code, and every contributor string goes through the escaping
function of the format it lands in (:mod:`patternbook.escaping`).

- **draw.io**: one vertex per node at the position ``dot`` gave it, with its
  provider icon embedded as a data URI; clusters are containers (the parent
  cell of what they hold); edges keep their labels, line styles and bends.
  Labels are drawn with ``html=0``: text, never markup.
- **Mermaid**: a ``flowchart`` with one ``subgraph`` per cluster, quoted labels
  and one arrow style per edge style. Mermaid lays it out itself, so positions
  and icons do not carry over.
- **PNG**: the published SVG drawn by cairo, so it shows exactly what the page shows
  (:mod:`.png`).
- **DOT**: the text ``dot`` was given.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from patternbook.diagrams.drawio_aws4 import aws4_style
from patternbook.diagrams.graph import BuiltGraph
from patternbook.diagrams.icons import published_icon
from patternbook.diagrams.kinds import icon_name, node_class
from patternbook.diagrams.png import CAIRO_HINT, CairoNotFound, png_document, with_drawio_source
from patternbook.escaping import mermaid_id, mermaid_label, mxgraph_attribute
from patternbook.schema import Diagram
from patternbook.schema.diagram import DOWNLOAD_FORMAT_NAMES

__all__ = [
    "CAIRO_HINT",
    "DOWNLOAD_FORMATS",
    "CairoNotFound",
    "diagram_downloads",
    "dot_document",
    "drawio_document",
    "mermaid_document",
    "png_document",
    "text_downloads",
]

#: File suffix of every downloadable form, in the order pages list them.
DOWNLOAD_FORMATS: tuple[str, ...] = tuple(DOWNLOAD_FORMAT_NAMES)

_POINTS_PER_INCH = 72.0
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\Z")
_INK = "#2D3436"
_EDGE_COLOUR = "#7B8894"
#: draw.io style for each edge style of the spec.
_DRAWIO_EDGE_STYLES = {"solid": "", "dashed": "dashed=1;", "dotted": "dashed=1;dashPattern=1 4;",
                       "bold": "strokeWidth=3;"}
#: Mermaid arrow for each edge style; dotted edges also get a ``linkStyle``.
_MERMAID_ARROWS = {"solid": "-->", "dashed": "-.->", "dotted": "-.->", "bold": "==>"}


def diagram_downloads(slug: str, diagram: Diagram) -> Callable[[BuiltGraph, bytes, dict[str, Any]], dict[str, bytes]]:
    """What :mod:`.render` calls once ``dot`` has drawn ``diagram``: every download, by suffix."""

    def make(graph: BuiltGraph, svg: bytes, layout: dict[str, Any]) -> dict[str, bytes]:
        return {
            # The PNG is also the draw.io file: draw.io opens the diagram it carries.
            "png": with_drawio_source(png_document(svg), drawio_document(slug, diagram, layout)),
            **text_downloads(slug, diagram, graph),
        }

    return make


def text_downloads(slug: str, diagram: Diagram, graph: BuiltGraph) -> dict[str, bytes]:
    """The downloads made from the spec and its DOT alone, without drawing: the Mermaid
    flowchart and the DOT file, which pages carry as ``data:`` links
    (:data:`~patternbook.schema.diagram.INLINE_DOWNLOAD_FORMATS`)."""
    return {"mmd": mermaid_document(slug, diagram), "gv": dot_document(graph)}


def dot_document(graph: BuiltGraph) -> bytes:
    header = (f"// {graph.dot.name}: the Graphviz source of this Patternbook diagram.\n"
              "// Icons are named relative to the resources folder of the Python 'diagrams' package:\n"
              "//   dot -Tsvg -Gimagepath=<that folder> -o diagram.svg this-file.gv\n")
    return (header + graph.dot.source).encode("utf-8")


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _points(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",")[:2] for pair in text.split())]


def _colour(value: object, default: str) -> str:
    return value if isinstance(value, str) and _COLOUR.match(value) else default


def drawio_document(slug: str, diagram: Diagram, layout: dict[str, Any]) -> bytes:
    """An uncompressed draw.io file of ``diagram`` as ``dot`` laid it out.

    ``dot`` measures in points with y growing upwards; draw.io in pixels with y
    growing downwards, and a cell inside a container is placed relative to it.
    """
    height = float(layout["bb"].split(",")[3])
    # dot lists the subgraphs first, then the nodes; a node may be named like a cluster's
    # subgraph (node ``cluster_a`` beside cluster ``a``), so each is looked up among its own.
    drawn_objects = layout.get("objects", [])
    subgraph_count = int(layout.get("_subgraph_cnt", 0))
    subgraphs = {str(item.get("name")): item for item in drawn_objects[:subgraph_count]}
    drawn_nodes = {str(item.get("name")): item for item in drawn_objects[subgraph_count:]}
    absolute: dict[str, tuple[float, float]] = {}  # cell id → top-left corner, for children
    cells: list[str] = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']

    def cell_id(kind: str, identifier: str) -> str:
        return mxgraph_attribute(f"{kind}-{identifier}")

    def parent_of(cluster: str | None) -> tuple[str, tuple[float, float]]:
        if cluster is None:
            return "1", (0.0, 0.0)
        parent = cell_id("cluster", cluster)
        return parent, absolute[parent]

    def geometry(x: float, y: float, width: float, height_: float) -> str:
        return (f'<mxGeometry x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
                f'height="{_number(height_)}" as="geometry"/>')

    for cluster in _clusters_outside_in(diagram):
        drawn = subgraphs[f"cluster_{cluster.id}"]
        x1, y1, x2, y2 = (float(v) for v in drawn["bb"].split(","))
        left, top = x1, height - y2
        parent, (px, py) = parent_of(cluster.parent)
        identifier = cell_id("cluster", cluster.id)
        absolute[identifier] = (left, top)
        style = ("rounded=1;arcSize=4;whiteSpace=wrap;html=0;container=1;collapsible=0;"
                 "verticalAlign=top;align=left;spacingLeft=6;fontSize=12;"
                 f"fillColor={_colour(drawn.get('bgcolor'), '#FFFFFF')};"
                 f"strokeColor={_colour(drawn.get('pencolor'), '#AEB6BE')};fontColor={_INK};")
        cells.append(f'<mxCell id="{identifier}" value="{mxgraph_attribute(cluster.label)}" style="{style}" '
                     f'vertex="1" parent="{parent}">{geometry(left - px, top - py, x2 - x1, y2 - y1)}</mxCell>')

    for node in diagram.nodes:
        drawn = drawn_nodes[node.id]
        cx, cy = _points(drawn["pos"])[0]
        width = float(drawn["width"]) * _POINTS_PER_INCH
        box_height = float(drawn["height"]) * _POINTS_PER_INCH
        side = min(width, box_height)  # the icon; its label goes underneath, as on the page
        left, top = cx - width / 2, height - (cy + box_height / 2)
        parent, (px, py) = parent_of(node.cluster)
        relative_icon = icon_name(node_class(node.kind))
        shape = aws4_style(relative_icon)
        if shape is None:  # no draw.io stencil for it: the picture itself
            icon = base64.b64encode(published_icon(relative_icon, side)).decode("ascii")
            # draw.io writes a data URI in a style without ";base64" (";" separates style entries).
            shape = f"shape=image;imageAspect=1;image=data:image/png,{icon};"
        style = ("html=0;verticalLabelPosition=bottom;verticalAlign=top;labelBackgroundColor=none;"
                 f"aspect=fixed;fontSize=13;fontColor={_INK};{shape}")
        cells.append(f'<mxCell id="{cell_id("node", node.id)}" value="{mxgraph_attribute(node.label)}" '
                     f'style="{style}" vertex="1" parent="{parent}">'
                     f'{geometry(left + (width - side) / 2 - px, top - py, side, side)}</mxCell>')

    drawn_edges = _edges_in_spec_order(diagram, layout)
    for index, (edge, drawn) in enumerate(zip(diagram.edges, drawn_edges, strict=True), start=1):
        waypoints = _waypoints(drawn.get("pos", ""), height)
        bends = "".join(f'<mxPoint x="{_number(x)}" y="{_number(y)}"/>' for x, y in waypoints)
        style = (f"edgeStyle=none;rounded=0;html=0;endArrow=classic;strokeColor={_EDGE_COLOUR};"
                 f"fontSize=13;fontColor={_INK};labelBackgroundColor=#FFFFFF;{_DRAWIO_EDGE_STYLES[edge.style]}")
        cells.append(
            f'<mxCell id="edge-{index}" value="{mxgraph_attribute(edge.label or "")}" style="{style}" edge="1" '
            f'parent="1" source="{cell_id("node", edge.source)}" target="{cell_id("node", edge.target)}">'
            f'<mxGeometry relative="1" as="geometry">'
            + (f'<Array as="points">{bends}</Array>' if bends else "")
            + "</mxGeometry></mxCell>")

    width = float(layout["bb"].split(",")[2])
    body = "\n".join(f"        {cell}" for cell in cells)
    text = (
        '<mxfile host="Patternbook" type="device">\n'
        f'  <diagram id="{mxgraph_attribute(f"{slug}--{diagram.id}")}" name="{mxgraph_attribute(diagram.title)}">\n'
        f'    <mxGraphModel dx="{_number(width)}" dy="{_number(height)}" grid="0" gridSize="10" guides="1" '
        'tooltips="1" connect="1" arrows="1" fold="1" page="0" pageScale="1" '
        f'pageWidth="{_number(width)}" pageHeight="{_number(height)}" math="0" shadow="0">\n'
        "      <root>\n" + body + "\n      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n"
    )
    return text.encode("utf-8")


def _clusters_outside_in(diagram: Diagram) -> list:
    """Clusters with every parent before its children (a container exists before what it holds)."""
    placed: list = []
    seen: set[str] = set()
    remaining = list(diagram.clusters)
    while remaining:
        ready = [c for c in remaining if c.parent is None or c.parent in seen]
        if not ready:  # validation forbids cycles; never loop forever on an unvalidated spec
            raise ValueError(f"{diagram.id}: clusters nest in a cycle")
        for cluster in ready:
            placed.append(cluster)
            seen.add(cluster.id)
        remaining = [c for c in remaining if c.id not in seen]
    return placed


def _edges_in_spec_order(diagram: Diagram, layout: dict[str, Any]) -> list[dict[str, Any]]:
    """``dot``'s edges matched to the spec's by the nodes at both ends (``dot`` lists
    them by tail node; edges between the same two nodes keep the spec's order).
    A spec edge ``dot`` did not draw fails loudly instead of being drawn wrongly."""
    names = {item["_gvid"]: item.get("name") for item in layout.get("objects", []) if "_gvid" in item}
    waiting: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in sorted(layout.get("edges", []), key=lambda item: item["_gvid"]):
        waiting.setdefault((names.get(item["tail"]), names.get(item["head"])), []).append(item)
    matched = []
    for edge in diagram.edges:
        candidates = waiting.get((edge.source, edge.target))
        if not candidates:
            raise ValueError(f"{diagram.id}: dot drew no edge {edge.source} → {edge.target}")
        matched.append(candidates.pop(0))
    if any(waiting.values()):
        raise ValueError(f"{diagram.id}: dot drew edges the spec does not have")
    return matched


def _waypoints(position: str, height: float) -> list[tuple[float, float]]:
    """The bends of an edge: its ``dot`` spline's inner points, without repeats.
    Patternbook's diagrams route edges orthogonally, so those points lie on the
    drawn path and a polyline through them follows it."""
    points = [(x, height - y) for x, y in _points(" ".join(
        part for part in position.split() if not part.startswith(("e,", "s,"))))]
    inner: list[tuple[float, float]] = []
    for point in points[1:-1]:
        if not inner or inner[-1] != point:
            inner.append(point)
    return [point for point in inner if point not in (points[0], points[-1])]


def mermaid_document(slug: str, diagram: Diagram) -> bytes:
    """A Mermaid ``flowchart`` of ``diagram``: subgraphs for clusters, quoted labels."""
    node_ids = {node.id: mermaid_id(node.id, "n") for node in diagram.nodes}
    cluster_ids = {cluster.id: mermaid_id(cluster.id, "c") for cluster in diagram.clusters}
    children: dict[str | None, list] = {}
    for cluster in diagram.clusters:
        children.setdefault(cluster.parent, []).append(cluster)
    nodes_in: dict[str | None, list] = {}
    for node in diagram.nodes:
        nodes_in.setdefault(node.cluster, []).append(node)
    lines = [f"%% Patternbook diagram {slug}/{diagram.id}, generated from its spec", f"flowchart {diagram.direction}"]

    def add(cluster_id: str | None, depth: int) -> None:
        indent = "    " * depth
        for node in nodes_in.get(cluster_id, []):
            lines.append(f'{indent}{node_ids[node.id]}["{mermaid_label(node.label)}"]')
        for cluster in children.get(cluster_id, []):
            lines.append(f'{indent}subgraph {cluster_ids[cluster.id]}["{mermaid_label(cluster.label)}"]')
            add(cluster.id, depth + 1)
            lines.append(f"{indent}end")

    add(None, 1)
    dotted: list[int] = []
    for index, edge in enumerate(diagram.edges):
        arrow = _MERMAID_ARROWS[edge.style]
        label = f'|"{mermaid_label(edge.label)}"|' if edge.label else ""
        lines.append(f"    {node_ids[edge.source]} {arrow}{label} {node_ids[edge.target]}")
        if edge.style == "dotted":
            dotted.append(index)
    if dotted:
        lines.append(f"    linkStyle {','.join(map(str, dotted))} stroke-dasharray:2 4")
    return ("\n".join(lines) + "\n").encode("utf-8")
