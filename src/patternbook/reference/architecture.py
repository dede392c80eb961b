"""The architecture diagram: the import layers, drawn by Patternbook's own diagram renderer.

The layers are read from the import-linter contract in ``pyproject.toml``, the
same list the test suite enforces, so the picture cannot drift from the rule.
They become a diagram spec of the kind every bundle carries (validated by the
same model) and go through the same renderer as a pattern's diagram.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from patternbook.diagrams import render_pattern_diagrams
from patternbook.schema import Diagram
from patternbook.schema.diagram import MAX_LABEL_CHARS

__all__ = ["LAYERS_CONTRACT_TYPE", "architecture_diagram", "import_layers", "render_architecture_svg"]

LAYERS_CONTRACT_TYPE = "layers"
ROOT_PACKAGE = "patternbook"
#: The node kind each layer is drawn as: every layer is Python.
LAYER_KIND = "programming.language.Python"
#: The slug the rendered diagram is cached and identified under (its SVG ids start with it).
DIAGRAM_OWNER = "handbook"


def import_layers(pyproject: Path) -> list[tuple[str, ...]]:
    """The layers of the import-linter layers contract, top first, each as its module names
    without the root package (``("mkdocs_plugin", "mcp_server", "engines")``)."""
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    contracts = settings["tool"]["importlinter"]["contracts"]
    [contract] = [c for c in contracts if c.get("type") == LAYERS_CONTRACT_TYPE]
    return [tuple(name.strip().removeprefix(ROOT_PACKAGE + ".") for name in layer.split("|"))
            for layer in contract["layers"]]


def _label(modules: tuple[str, ...]) -> str:
    label = ", ".join(modules)
    return label if len(label) <= MAX_LABEL_CHARS else label[:MAX_LABEL_CHARS - 1] + "…"


def architecture_diagram(layers: list[tuple[str, ...]]) -> Diagram:
    """A diagram spec: one node per layer, top to bottom, each importing the one below."""
    nodes = [{"id": f"layer-{index}", "label": _label(modules), "kind": LAYER_KIND}
             for index, modules in enumerate(layers, start=1)]
    edges = [{"from": f"layer-{index}", "to": f"layer-{index + 1}"} for index in range(1, len(layers))]
    names = "; ".join(", ".join(modules) for modules in layers)
    return Diagram.model_validate({
        "id": "layers",
        "title": "Import layers of Patternbook",
        "caption": "Each layer imports only the layers below it; import-linter checks this in the test suite.",
        "alt": f"{len(layers)} layers stacked from top to bottom, each importing only those below it: {names}.",
        "direction": "TB",
        "nodes": nodes,
        "edges": edges,
    })


@dataclass(frozen=True)
class _DiagramOwner:
    """What the renderer needs of a bundle: a slug and its diagrams."""

    slug: str
    diagrams: tuple[Diagram, ...]


def render_architecture_svg(diagram: Diagram, cache_dir: Path) -> bytes:
    """The diagram as self-contained SVG, through the cache every pattern diagram uses."""
    owner = _DiagramOwner(DIAGRAM_OWNER, (diagram,))
    rendered = render_pattern_diagrams([owner], cache_dir, downloads=False)  # type: ignore[list-item]
    return rendered[(DIAGRAM_OWNER, diagram.id)]
