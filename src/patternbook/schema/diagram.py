"""The declarative diagram spec a bundle carries.

A diagram is data: nodes with a ``kind`` naming a ``diagrams`` provider class,
clusters nested by ``parent``, and edges. Labels are plain text (no ``<`` or
``>``, so Graphviz can never read one as an HTML-like label) and there is no
field through which a Graphviz attribute, URL or image could be passed.
Whether ids resolve and how deep clusters nest are cross-field rules checked by
the validation layer, which can point at the exact offending line.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from patternbook.schema.base import StrictModel
from patternbook.schema.text import Identifier, check_text, prose

__all__ = [
    "DOWNLOAD_FORMAT_NAMES",
    "KIND_PATTERN",
    "MAX_CLUSTERS",
    "MAX_CLUSTER_DEPTH",
    "MAX_EDGES",
    "MAX_LABEL_CHARS",
    "MAX_NODES",
    "Diagram",
    "DiagramCluster",
    "DiagramEdge",
    "DiagramNode",
    "EdgeStyle",
]

MAX_NODES = 40
MAX_EDGES = 80
MAX_CLUSTERS = 20
MAX_CLUSTER_DEPTH = 3
MAX_LABEL_CHARS = 60

KIND_PATTERN = r"^[a-z0-9]+\.[a-z0-9_]+\.[A-Za-z0-9]+$"

EdgeStyle = Literal["solid", "dashed", "dotted", "bold"]


_LABEL_MARKUP = re.compile(r"[<>{}|\n]")


def _plain_label(value: str) -> str:
    if _LABEL_MARKUP.search(value):
        raise PydanticCustomError(
            "label_markup",
            "labels are plain text: '<', '>', '{{', '}}', '|' and line breaks are not allowed",
        )
    return check_text(value)


PlainLabel = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LABEL_CHARS),
    AfterValidator(_plain_label),
]

NodeKind = Annotated[str, StringConstraints(max_length=80, pattern=KIND_PATTERN)]


#: The files made beside every diagram's SVG, by suffix, with how a page names each format
#: ("Download the diagram as …"), in the order pages list them: the diagrams layer makes one
#: file per entry and the pages layer links one per entry.
DOWNLOAD_FORMAT_NAMES: dict[str, str] = {
    # The PNG carries the draw.io file (a text chunk draw.io reads): one download, both.
    "png": "PNG image (opens in draw.io)",
    "mmd": "Mermaid flowchart",
    "gv": "Graphviz DOT file",
}

#: The downloads a page carries itself, as ``data:`` links, instead of as files beside the SVG:
#: a few KB of text each, which as files were two of a bundle's eleven (hosts count files).
#: The diagrams layer still makes them (its cache keeps every format); the pipeline hands their
#: text to the pages layer and publishes the other formats as files.
INLINE_DOWNLOAD_FORMATS: frozenset[str] = frozenset({"mmd", "gv"})

class DiagramNode(StrictModel):
    id: Identifier
    """Short name edges refer to, unique in the diagram (``api``, ``state``)."""
    label: PlainLabel
    """The text under the icon: the component's role here (``Circuit state``), not only the product."""
    kind: NodeKind
    """A ``diagrams`` provider class, ``provider.group.Class`` (``aws.compute.Lambda``)."""
    cluster: Identifier | None = None
    """Optional: the id of the cluster (region, zone, subnet) the node is drawn inside."""


class DiagramCluster(StrictModel):
    id: Identifier
    """Short name nodes and inner clusters refer to, unique in the diagram."""
    label: PlainLabel
    """The boundary's name as drawn (``us-east-1``, ``Private subnet``)."""
    parent: Identifier | None = None
    """The enclosing cluster (region › availability zone › subnet, at most 3 deep)."""


class DiagramEdge(StrictModel):
    source: Identifier = Field(alias="from")
    """The id of the node the arrow starts from."""
    target: Identifier = Field(alias="to")
    """The id of the node the arrow points to."""
    label: PlainLabel | None = None
    """Optional: what travels along the arrow (``HTTPS``, ``publish``, ``on failure``)."""
    style: EdgeStyle = "solid"
    """How the line is drawn, to tell kinds of flow apart (``dashed`` for metrics, say)."""


class Diagram(StrictModel):
    id: Identifier
    """Short name, unique in the bundle; it names the diagram's image and download files."""
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=80),
                     AfterValidator(_plain_label)]
    """What the picture shows, in a few words; shown before the caption and in download links."""
    caption: prose(20, 4, 400)  # type: ignore[valid-type]
    """A sentence under the picture saying what to notice in it."""
    alt: prose(40, 8, 600)  # type: ignore[valid-type]
    """Alternative text for screen readers: what the picture shows, in words."""
    role: Literal["overview", "before", "after"] = "overview"
    """``before`` and ``after`` diagrams are shown side by side."""
    direction: Literal["LR", "TB", "RL", "BT"] = "LR"
    """Which way the flow reads: left to right, top to bottom, right to left or bottom to top."""
    nodes: list[DiagramNode] = Field(min_length=2, max_length=MAX_NODES)
    """The components drawn, each with an icon from the ``diagrams`` package."""
    clusters: list[DiagramCluster] = Field(default_factory=list, max_length=MAX_CLUSTERS)
    """Boxes that group nodes, nested like the real boundaries (region › zone › subnet)."""
    edges: list[DiagramEdge] = Field(min_length=1, max_length=MAX_EDGES)
    """Arrows between nodes: the flow of requests, data or signals."""
