"""The largest diagram specs the schema allows, built from the schema's own limits.

Every count and length comes from the :class:`~patternbook.schema.Diagram` model's
JSON Schema (what an editor enforces) and the identifier pattern, so when a limit is
raised the tests draw the new largest diagram without being edited. Each spec goes
through the real validation of a bundle: "validate said yes" is part of the test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Literal

import yaml

from patternbook.loader import load_bundle
from patternbook.schema import Diagram, Pattern
from patternbook.schema.diagram import MAX_CLUSTER_DEPTH
from patternbook.schema.diagram_kinds import known_node_kinds
from patternbook.schema.text import IDENTIFIER_PATTERN
from patternbook.validation import validate_bundle

__all__ = ["DIAGRAM_LIMITS", "Shape", "maximal_diagram", "validated_pattern_with"]

MINIMAL_BUNDLE = Path(__file__).parents[1] / "validation" / "cases" / "positive" / "minimal-valid"

Shape = Literal["chain", "star", "dense"]
"""How the edges connect the nodes: one long path (the deepest layout), every node
to one hub (the widest rank), or each node to the next few (the most crossings)."""


def _limits() -> dict[str, int]:
    schema = Diagram.model_json_schema()
    definitions = schema["$defs"]
    properties = schema["properties"]

    def label_length(model: str) -> int:
        label = definitions[model]["properties"]["label"]
        options = label.get("anyOf", [label])
        return max(option.get("maxLength", 0) for option in options)

    identifier = re.fullmatch(r"\^\[a-z\]\[[^\]]+\]\{0,(\d+)\}\$", IDENTIFIER_PATTERN)
    assert identifier, f"identifier pattern changed shape: {IDENTIFIER_PATTERN}"
    return {
        "nodes": properties["nodes"]["maxItems"],
        "edges": properties["edges"]["maxItems"],
        "clusters": properties["clusters"]["maxItems"],
        "cluster_depth": MAX_CLUSTER_DEPTH,
        "node_label": label_length("DiagramNode"),
        "cluster_label": label_length("DiagramCluster"),
        "edge_label": label_length("DiagramEdge"),
        "title": properties["title"]["maxLength"],
        "caption": properties["caption"]["maxLength"],
        "alt": properties["alt"]["maxLength"],
        "identifier": int(identifier.group(1)) + 1,
    }


DIAGRAM_LIMITS = _limits()


def _text(length: int, seed: int) -> str:
    """Words (wide letters, so the text is as wide as it can be) filling ``length`` exactly."""
    words = ["MWQ", "WMX", "QWM", "WWM", "MMW"]
    text, index = "", seed
    while len(text) < length:
        text += ("" if not text else " ") + words[index % len(words)]
        index += 1
    return text[:length].rstrip() + "W" * (length - len(text[:length].rstrip()))


def _identifier(prefix: str, index: int) -> str:
    head = f"{prefix}{index:03d}-"
    return head + "x" * (DIAGRAM_LIMITS["identifier"] - len(head))


def _edges(shape: Shape, nodes: list[str], count: int) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if shape == "chain":
        pairs = [(nodes[i], nodes[i + 1]) for i in range(len(nodes) - 1)]
        step = 2
        while len(pairs) < count:  # longer jumps along the same path: more labels in every rank
            pairs += [(nodes[i], nodes[i + step]) for i in range(len(nodes) - step)]
            step += 1
    elif shape == "star":
        pairs = [(nodes[0], other) for other in nodes[1:]]
        while len(pairs) < count:  # parallel edges to the same hub
            pairs += [(nodes[0], other) for other in nodes[1:]]
    else:
        pairs = [(nodes[i], nodes[(i + step) % len(nodes)]) for step in range(1, len(nodes))
                 for i in range(len(nodes))]
    return pairs[:count]


def maximal_diagram(direction: str = "TB", shape: Shape = "chain", *, labelled_edges: bool = True,
                    kinds: int | None = None) -> dict[str, Any]:
    """The diagram of a ``pattern.yaml`` with every list and every text at its limit:
    clusters nested as deep as allowed (chains of region › zone › subnet), nodes spread
    over the innermost clusters and the top level, ``kinds`` distinct icons (all of them
    different by default)."""
    limits = DIAGRAM_LIMITS
    depth = limits["cluster_depth"]
    clusters: list[dict[str, Any]] = []
    for index in range(limits["clusters"]):
        cluster: dict[str, Any] = {"id": _identifier("c", index), "label": _text(limits["cluster_label"], index)}
        if index % depth:
            cluster["parent"] = clusters[index - 1]["id"]
        clusters.append(cluster)
    homes = [None, *(c["id"] for c in clusters)]
    available = sorted(known_node_kinds())
    chosen_kinds = available[:: max(1, len(available) // limits["nodes"])][: kinds or limits["nodes"]]
    nodes = [{"id": _identifier("n", index), "label": _text(limits["node_label"], index),
              "kind": chosen_kinds[index % len(chosen_kinds)]}
             for index in range(limits["nodes"])]
    for index, node in enumerate(nodes):
        home = homes[index % len(homes)]
        if home is not None:
            node["cluster"] = home
    styles = ["solid", "dashed", "dotted", "bold"]
    edges = []
    for index, (source, target) in enumerate(_edges(shape, [n["id"] for n in nodes], limits["edges"])):
        edge: dict[str, Any] = {"from": source, "to": target, "style": styles[index % len(styles)]}
        if labelled_edges:
            edge["label"] = _text(limits["edge_label"], index)
        edges.append(edge)
    return {
        "id": _identifier("d", 0),
        "title": _text(limits["title"], 0),
        "caption": _sentences(limits["caption"]),
        "alt": _sentences(limits["alt"]),
        "direction": direction,
        "nodes": nodes,
        "clusters": clusters,
        "edges": edges,
    }


def _sentences(length: int) -> str:
    words = "every box and arrow of the largest diagram the schema allows is drawn here".split()
    text = ""
    index = 0
    while len(text) + len(words[index % len(words)]) + 2 <= length:
        text += ("" if not text else " ") + words[index % len(words)]
        index += 1
    return text + "."


def validated_pattern_with(diagrams: list[dict[str, Any]], folder: Path) -> Pattern:
    """The minimal valid bundle with ``diagrams`` in place of its own, validated as
    ``patternbook validate`` would; fails the test if validation says no."""
    bundle = folder / MINIMAL_BUNDLE.name
    shutil.copytree(MINIMAL_BUNDLE, bundle)
    pattern_file = bundle / "pattern.yaml"
    text = pattern_file.read_text(encoding="utf-8")
    head, marker, _ = text.partition("\ndiagrams:\n")
    assert marker, "the minimal bundle no longer ends with its diagrams"
    pattern_file.write_text(head + "\n" + yaml.safe_dump({"diagrams": diagrams}, sort_keys=False, width=1000),
                            encoding="utf-8")
    pattern, diagnostics = validate_bundle(load_bundle(bundle), None)
    assert pattern is not None, [d.format() for d in diagnostics]
    return pattern
