"""The largest diagrams ``validate`` accepts build, in every download format.

At 96 dpi the largest diagram the limits allow can be wider than the 32,767 pixels
a cairo image may have; its PNG is then drawn smaller, never refused
(``CAIRO_STATUS_INVALID_SIZE`` used to stop the build after ``validate`` said yes).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patternbook.diagrams import render_pattern_diagram_files
from patternbook.diagrams.kinds import icons_directory
from patternbook.diagrams.png import (
    MAX_PNG_PIXELS,
    MAX_PNG_SIDE,
    PNG_DPI,
    SMALLEST_PNG_PIXELS,
    _draw_with_cairosvg,
    draw_dot_svg,
    drawio_source_of_png,
    fitted_scale,
    png_document,
)
from patternbook.escaping import mermaid_id
from tests.diagrams.maximal import DIAGRAM_LIMITS, maximal_diagram, validated_pattern_with

#: Far wider than cairo draws at 96 dpi (50,000 pt are 66,667 px), in Graphviz's SVG shape.
WIDE_DOT_SVG = b"""<svg width="50000pt" height="60pt" viewBox="0.00 0.00 50000.00 60.00"
 xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="g" class="graph" transform="scale(1 1) rotate(0) translate(4 56)">
<polygon fill="white" stroke="transparent" points="-4,4 -4,-56 49996,-56 49996,4 -4,4"/>
<text text-anchor="middle" x="200" y="-20" font-family="Sans-Serif" font-size="13.00">Queue</text>
<path fill="none" stroke="#7b8894" d="M200,-30C10000,-30 30000,-30 49900,-30"/>
</g>
</svg>
"""


def _png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        return picture.size


def _assert_fits(size: tuple[int, int], points: tuple[float, float]) -> None:
    width, height = size
    assert width <= MAX_PNG_SIDE and height <= MAX_PNG_SIDE and width * height <= MAX_PNG_PIXELS
    assert abs(width / height - points[0] / points[1]) < 0.02 * points[0] / points[1] + 2 / height


@pytest.mark.parametrize("svg", [WIDE_DOT_SVG, WIDE_DOT_SVG.replace(b"<text ", b"<rect width='1' height='1'/><text ")],
                         ids=["drawn-by-patternbook", "drawn-by-cairosvg"])
def test_a_picture_wider_than_cairo_allows_is_drawn_smaller(svg: bytes) -> None:
    _assert_fits(_png_size(png_document(svg)), (50000, 60))


def test_both_drawers_scale_a_large_picture_alike() -> None:
    """The drawing that cairosvg makes of anything Graphviz does not write has the same size."""
    ours, theirs = draw_dot_svg(WIDE_DOT_SVG), _draw_with_cairosvg(WIDE_DOT_SVG)
    assert (ours.get_width(), ours.get_height()) == (theirs.get_width(), theirs.get_height()) == (MAX_PNG_SIDE, 39)


def test_a_picture_cairo_refuses_is_drawn_again_with_fewer_pixels() -> None:
    """What :func:`png_document` does when cairo refuses the fitted size: a smaller budget, kept to."""
    smaller = draw_dot_svg(WIDE_DOT_SVG, SMALLEST_PNG_PIXELS)
    assert smaller.get_width() * smaller.get_height() <= SMALLEST_PNG_PIXELS
    assert smaller.get_width() > 100 * smaller.get_height() > 0


@given(st.floats(1, 2e6), st.floats(1, 2e6))
def test_a_fitted_picture_is_within_every_limit_and_keeps_its_proportions(width: float, height: float) -> None:
    scale = fitted_scale(width, height)
    assert 0 < scale <= 1
    drawn = (round(width * scale), round(height * scale))
    assert max(drawn) <= MAX_PNG_SIDE and drawn[0] * drawn[1] <= MAX_PNG_PIXELS
    if width <= MAX_PNG_SIDE and height <= MAX_PNG_SIDE and width * height <= MAX_PNG_PIXELS:
        assert scale == 1


def test_the_largest_spec_is_at_every_limit_of_the_schema(tmp_path: Path) -> None:
    pattern = validated_pattern_with([maximal_diagram()], tmp_path)
    (diagram,) = pattern.diagrams
    assert (len(diagram.nodes), len(diagram.edges), len(diagram.clusters)) == (
        DIAGRAM_LIMITS["nodes"], DIAGRAM_LIMITS["edges"], DIAGRAM_LIMITS["clusters"])
    assert {len(node.label) for node in diagram.nodes} == {DIAGRAM_LIMITS["node_label"]}
    assert {len(edge.label or "") for edge in diagram.edges} == {DIAGRAM_LIMITS["edge_label"]}
    assert {len(node.id) for node in diagram.nodes} == {DIAGRAM_LIMITS["identifier"]}
    parents = {cluster.id: cluster.parent for cluster in diagram.clusters}

    def depth(cluster: str | None) -> int:
        return 0 if cluster is None else 1 + depth(parents[cluster])

    assert max(depth(cluster) for cluster in parents) == DIAGRAM_LIMITS["cluster_depth"]


#: (direction, edge shape): the widest top-to-bottom picture (one hub over a 40-box rank, wider
#: than cairo draws at 96 dpi), the longest left-to-right one, and the most crossings upside down.
LARGEST = [("TB", "star"), ("LR", "chain"), ("BT", "dense")]


@pytest.fixture(scope="module")
def largest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("largest")
    diagrams = [{**maximal_diagram(direction, shape), "id": f"{direction.lower()}-{shape}"}
                for direction, shape in LARGEST]
    pattern = validated_pattern_with(diagrams, folder)
    files = render_pattern_diagram_files([pattern], folder / "cache")
    return {diagram.id: (diagram, files[(pattern.slug, diagram.id)]) for diagram in pattern.diagrams}


@pytest.mark.slow
@pytest.mark.parametrize("diagram_id", [f"{direction.lower()}-{shape}" for direction, shape in LARGEST])
def test_the_largest_diagrams_build_in_every_format(largest: dict, diagram_id: str) -> None:
    diagram, files = largest[diagram_id]
    svg = files["svg"].read_text(encoding="utf-8")
    width_pt, height_pt = (float(n) for n in re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"',
                                                          svg).groups())
    _assert_fits(_png_size(files["png"].read_bytes()), (width_pt, height_pt))
    if diagram_id == "tb-star":  # the case that stopped the build: more than cairo draws at 96 dpi
        assert width_pt * PNG_DPI / 72 > 32_767

    cells = ElementTree.fromstring(drawio_source_of_png(files["png"].read_bytes())).iter("mxCell")
    ids = [cell.get("id", "") for cell in cells]
    assert (sum(i.startswith("node-") for i in ids), sum(i.startswith("cluster-") for i in ids),
            sum(i.startswith("edge-") for i in ids)) == (len(diagram.nodes), len(diagram.clusters), len(diagram.edges))

    mermaid = files["mmd"].read_text(encoding="utf-8")
    assert mermaid.splitlines()[1] == f"flowchart {diagram.direction}"
    assert all(f'{mermaid_id(node.id, "n")}["' in mermaid for node in diagram.nodes)
    assert mermaid.count("subgraph ") == len(diagram.clusters)
    assert len(re.findall(r"^    n_\S+ (?:-->|-\.->|==>)", mermaid, re.M)) == len(diagram.edges)


@pytest.mark.slow
def test_the_largest_dot_source_is_read_by_dot(largest: dict) -> None:
    diagram, files = largest["tb-star"]
    answer = subprocess.run(["dot", "-Tcanon", f"-Gimagepath={icons_directory()}", str(files["gv"])],
                            capture_output=True, text=True, timeout=60, check=False)
    assert answer.returncode == 0, answer.stderr[-2000:]
    assert all(node.id in answer.stdout for node in diagram.nodes)


@pytest.mark.slow
def test_mermaid_draws_the_largest_diagram(largest: dict, mermaid: object) -> None:
    diagram, files = largest["lr-chain"]
    drawn = mermaid.draw(files["mmd"].read_text(encoding="utf-8"))
    assert drawn.error is None, drawn.error
    assert len(drawn.nodes) == len(diagram.nodes) and len(drawn.clusters) == len(diagram.clusters)
    assert drawn.drawn_links == len(diagram.edges)
