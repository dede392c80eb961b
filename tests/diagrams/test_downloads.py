"""The downloads of every shipped diagram, each read by its format's own parser:
draw.io as mxGraph XML, Mermaid by Mermaid (in Chromium), DOT by ``dot``, PNG by Pillow."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from patternbook.catalogue import Catalogue
from patternbook.diagrams import DOT_STATS, DOWNLOAD_FORMATS, render_pattern_diagram_files
from patternbook.diagrams.drawio_aws4 import AWS4_SHAPES
from patternbook.diagrams.kinds import icon_name, icons_directory, node_class
from patternbook.diagrams.png import drawio_source_of_png
from patternbook.escaping import mermaid_id
from patternbook.pages import DIAGRAM_DOWNLOADS
from patternbook.schema import Diagram
from patternbook.validation import validate_paths
from tests.conftest import PROJECT, shared_cache_dir

Files = dict[tuple[str, str], dict[str, Path]]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    report = validate_paths([PROJECT / "patterns"])
    return Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)


@pytest.fixture(scope="module")
def specs(catalogue: Catalogue) -> dict[tuple[str, str], Diagram]:
    return {(entry.slug, diagram.id): diagram for entry in catalogue.entries.values() for diagram in entry.diagrams}


@pytest.fixture(scope="module")
def files(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Files:
    """Every shipped diagram's files, from the session's diagram cache: drawn by whichever
    build of the shipped catalogue came first (a site build in another process, perhaps);
    the fresh renders below are compared with them byte for byte."""
    return render_pattern_diagram_files(list(catalogue.entries.values()),
                                        shared_cache_dir(tmp_path_factory.mktemp("cache")))


@dataclass
class FreshRender:
    """A cold render of every shipped diagram into an empty cache, and how it ran."""

    files: Files
    cache_dir: Path
    pools: int
    """Process pools started: 1 when the render ran in forked workers, 0 in threads."""


def _fresh_render(catalogue: Catalogue, cache_dir: Path, *, forked: bool) -> FreshRender:
    """A large cold render runs in forked processes when nothing prevents it, else in threads;
    ``forked`` makes the choice here (a pytest-xdist worker keeps a thread of its own, which
    alone would mean threads; the build this stands for has none)."""
    import concurrent.futures

    from patternbook.diagrams import render

    pools: list[object] = []

    class CountedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            pools.append(self)
            super().__init__(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "FORK_FROM", 1 if forked else 10**9)
        patch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
        patch.setattr(render.threading, "active_count", lambda: 1)
        drawn = render_pattern_diagram_files(list(catalogue.entries.values()), cache_dir)
    return FreshRender(drawn, cache_dir, len(pools))


# Two cold renders for the module, one in threads and one in forked workers: each is a
# render "across" from the cached files and from the other (a cold render of every shipped
# diagram costs seconds, so no test draws its own).
@pytest.fixture(scope="module")
def threaded(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> FreshRender:
    return _fresh_render(catalogue, tmp_path_factory.mktemp("threaded"), forked=False)


@pytest.fixture(scope="module")
def forked(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> FreshRender:
    return _fresh_render(catalogue, tmp_path_factory.mktemp("forked"), forked=True)


def test_every_diagram_has_every_format_the_page_links_to(specs: dict, files: Files) -> None:
    assert set(files) == set(specs) and len(specs) > 40
    assert tuple(download.suffix for download in DIAGRAM_DOWNLOADS) == DOWNLOAD_FORMATS
    for key, formats in files.items():
        assert set(formats) == {"svg", *DOWNLOAD_FORMATS}, key
        assert all(path.stat().st_size > 0 for path in formats.values()), key


def _number(cell: ElementTree.Element, name: str) -> float:
    return float(cell.find("mxGeometry").get(name, "0"))


def _box(cell: ElementTree.Element) -> tuple[float, float, float, float]:
    return _number(cell, "x"), _number(cell, "y"), _number(cell, "width"), _number(cell, "height")


def _style(cell: ElementTree.Element) -> dict[str, str]:
    return dict(entry.split("=", 1) for entry in cell.get("style", "").split(";") if "=" in entry)


def _drawio(files: Files, key: tuple[str, str]) -> str:
    """The draw.io file a diagram's PNG carries, read as draw.io reads it."""
    xml = drawio_source_of_png(files[key]["png"].read_bytes())
    assert xml is not None, key
    return xml


def test_drawio_files_are_mxgraph_with_one_cell_per_node_cluster_and_edge(specs: dict, files: Files) -> None:
    for key, diagram in specs.items():
        root = ElementTree.fromstring(_drawio(files, key))
        assert root.tag == "mxfile", key
        (page,) = root.findall("diagram")
        assert page.get("name") == diagram.title
        cells = page.findall("mxGraphModel/root/mxCell")
        by_id = {cell.get("id"): cell for cell in cells}
        assert len(by_id) == len(cells), key  # ids are unique
        assert {"0", "1"} <= set(by_id)
        for cell in cells:  # every parent, source and target names an existing cell
            for reference in ("parent", "source", "target"):
                assert cell.get(reference) is None or cell.get(reference) in by_id, (key, cell.get("id"))
        vertices = [cell for cell in cells if cell.get("vertex") == "1"]
        containers = [cell for cell in vertices if _style(cell).get("container") == "1"]
        nodes = [cell for cell in vertices if cell.get("id", "").startswith("node-")]
        edges = [cell for cell in cells if cell.get("edge") == "1"]
        assert (len(nodes), len(containers), len(edges)) == (
            len(diagram.nodes), len(diagram.clusters), len(diagram.edges)), key
        assert len(vertices) == len(nodes) + len(containers)
        for cell in [*vertices, *edges]:
            assert _style(cell)["html"] == "0", key  # labels are text, never markup
            assert cell.find("mxGeometry") is not None, key

        for cluster in diagram.clusters:
            cell = by_id[f"cluster-{cluster.id}"]
            assert cell.get("value") == cluster.label
            assert cell.get("parent") == (f"cluster-{cluster.parent}" if cluster.parent else "1")
        for node in diagram.nodes:
            cell = by_id[f"node-{node.id}"]
            assert cell.get("value") == node.label
            parent = f"cluster-{node.cluster}" if node.cluster else "1"
            assert cell.get("parent") == parent
            x, y, width, height = _box(cell)
            assert width > 20 and height > 20, key
            if node.cluster:  # placed inside its container, in the container's coordinates
                _, _, parent_width, parent_height = _box(by_id[parent])
                assert x >= 0 and x + width <= parent_width + 0.01, (key, node.id)
                assert y >= 0 and y + height <= parent_height + 0.01, (key, node.id)
            style = _style(cell)
            if icon_name(node_class(node.kind)) in AWS4_SHAPES:  # draw.io's own AWS shape
                assert style["shape"].startswith("mxgraph.aws4."), (key, node.id)
                assert "image" not in style, (key, node.id)
            else:  # a picture: no draw.io stencil draws it
                assert style["shape"] == "image", (key, node.id)
                icon = base64.b64decode(style["image"].removeprefix("data:image/png,"), validate=True)
                assert icon.startswith(b"\x89PNG\r\n\x1a\n"), (key, node.id)
        for edge, cell in zip(diagram.edges, edges, strict=True):
            assert (cell.get("source"), cell.get("target")) == (f"node-{edge.source}", f"node-{edge.target}")
            assert cell.get("value") == (edge.label or "")
            style = _style(cell)
            assert style.get("dashed") == ("1" if edge.style in ("dashed", "dotted") else None), key
            assert (style.get("strokeWidth") == "3") == (edge.style == "bold"), key
            assert cell.find("mxGeometry").get("relative") == "1"


def test_drawio_files_are_decoded_and_drawn_by_mxgraph(specs: dict, files: Files, mxgraph: object) -> None:
    """What draw.io would load: mxGraph's own codec decodes every cell with its parent
    and ends, and its view draws every node, cluster and edge with the spec's labels
    and every node's icon."""
    for key, diagram in specs.items():
        decoded = mxgraph.decode_png(files[key]["png"].read_bytes())
        assert "error" not in decoded, (key, decoded.get("error"))
        cells = {cell["id"]: cell for cell in decoded["cells"]}
        for node in diagram.nodes:
            cell = cells[f"node-{node.id}"]
            assert cell["vertex"] and cell["drawn"] and cell["width"] > 20, (key, node.id)
            assert cell["parent"] == (f"cluster-{node.cluster}" if node.cluster else "1")
            assert cell["label"] == node.label
        for cluster in diagram.clusters:
            cell = cells[f"cluster-{cluster.id}"]
            assert cell["vertex"] and cell["drawn"] and cell["label"] == cluster.label, (key, cluster.id)
            assert cell["parent"] == (f"cluster-{cluster.parent}" if cluster.parent else "1")
        edges = [cell for cell in decoded["cells"] if cell["edge"]]
        assert [(cell["source"], cell["target"], cell["label"]) for cell in edges] == [
            (f"node-{edge.source}", f"node-{edge.target}", edge.label or "") for edge in diagram.edges], key
        assert all(cell["drawn"] for cell in edges), key
        labels = [node.label for node in diagram.nodes] + [cluster.label for cluster in diagram.clusters]
        labels += [edge.label for edge in diagram.edges if edge.label]
        assert sorted(text for text in decoded["texts"] if text) == sorted(labels), key
        # mxGraph turns the short data URIs draw.io writes into base64 ones; each icon loads.
        # (Nodes drawn with draw.io's AWS shapes have no picture; plain mxGraph lacks those
        # stencils and draws a box, draw.io the AWS icon.)
        pictures = sum(icon_name(node_class(node.kind)) not in AWS4_SHAPES for node in diagram.nodes)
        assert len(decoded["images"]) >= pictures, key
        assert all(address.startswith("data:image/png;base64,") for address in decoded["images"]), key
        assert all(width > 0 for width in decoded["image_widths"]), key


def test_drawio_nodes_sit_where_dot_drew_them(specs: dict, files: Files) -> None:
    """The draw.io layout is the SVG's: each node's icon in the draw.io file and in
    the SVG have the same size and the same offsets from one another."""
    key = ("multi-az-web-application", "overview")
    root = ElementTree.fromstring(_drawio(files, key))
    cells = {cell.get("id"): cell for cell in root.iter("mxCell")}

    def absolute(cell_id: str) -> tuple[float, float]:
        cell = cells[cell_id]
        x, y = _number(cell, "x"), _number(cell, "y")
        if cell.get("parent") not in ("0", "1"):
            px, py = absolute(cell.get("parent"))
            return px + x, py + y
        return x, y

    svg = files[key]["svg"].read_text()
    used = [(float(x), float(y)) for x, y in re.findall(r'<use xlink:href="[^"]+" x="([^"]+)" y="([^"]+)"/>', svg)]
    drawn = sorted(absolute(f"node-{node.id}") for node in specs[key].nodes)
    # SVG y is negative (dot translates the page); compare offsets from the first node
    svg_offsets = sorted((round(x - min(u[0] for u in used)), round(y - min(u[1] for u in used))) for x, y in used)
    drawio_offsets = sorted((round(x - drawn[0][0]), round(y - min(d[1] for d in drawn))) for x, y in drawn)
    assert len(svg_offsets) == len(drawio_offsets)
    for (sx, sy), (dx, dy) in zip(svg_offsets, drawio_offsets, strict=True):
        assert abs(sx - dx) <= 12 and abs(sy - dy) <= 12, (svg_offsets, drawio_offsets)


def test_mermaid_files_parse_and_draw_every_node_cluster_and_edge(specs: dict, files: Files, mermaid: object) -> None:
    texts = {key: files[key]["mmd"].read_text(encoding="utf-8") for key in specs}
    drawings = dict(zip(texts, mermaid.draw_all(list(texts.values())), strict=True))
    for key, diagram in specs.items():
        text = texts[key]
        assert text.splitlines()[1] == f"flowchart {diagram.direction}"
        drawn = drawings[key]
        assert drawn.error is None, (key, drawn.error)
        assert sorted(drawn.nodes) == sorted(node.label for node in diagram.nodes), key
        assert sorted(drawn.clusters) == sorted(cluster.label for cluster in diagram.clusters), key
        assert sorted(label for label in drawn.edges if label) == sorted(e.label for e in diagram.edges if e.label)
        assert drawn.drawn_links == len(diagram.edges), key
        strokes = {"solid": "normal", "dashed": "dotted", "dotted": "dotted", "bold": "thick"}
        ids = {node.id: mermaid_id(node.id, "n") for node in diagram.nodes}
        assert [(link["start"], link["end"], link["stroke"], "stroke-dasharray:2 4" in link["style"])
                for link in drawn.links_parsed] == [
            (ids[edge.source], ids[edge.target], strokes[edge.style], edge.style == "dotted")
            for edge in diagram.edges], key
        assert (drawn.links, drawn.scripts, drawn.clickable) == (0, 0, 0)


def test_dot_sources_are_read_by_dot_itself(specs: dict, files: Files) -> None:
    for key, diagram in specs.items():  # one process each: dot 2.43 may crash on several graphs in one
        answer = subprocess.run(["dot", "-Tcanon", f"-Gimagepath={icons_directory()}", str(files[key]["gv"])],
                                capture_output=True, text=True, timeout=60, check=False)
        assert answer.returncode == 0, (key, answer.stderr[-2000:])
        assert re.match(rf'digraph "?{re.escape(diagram.id)}"? {{', answer.stdout), key
        for node in diagram.nodes:
            assert re.search(rf'^\s*"?{re.escape(node.id)}"?\s+\[', answer.stdout, re.M), (key, node.id)


def _drawn_by_cairosvg(svg: str) -> object:
    """What ``cairosvg.svg2png`` draws of ``svg`` (96 dpi, unscaled), as a Pillow RGB picture
    read from cairo's pixels: the PNG it would write and Pillow would decode again is skipped
    (the round trip un-premultiplies alike, to within one level on a few edge pixels)."""
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface
    from PIL import Image

    surface = PNGSurface(Tree(bytestring=svg.encode("utf-8")), None, 96).cairo
    surface.flush()
    return Image.frombuffer("RGBA", (surface.get_width(), surface.get_height()), bytes(surface.get_data()),
                            "raw", "BGRa", surface.get_stride(), 1).convert("RGB")


def test_pngs_open_with_a_sane_size_and_show_the_icons(specs: dict, files: Files) -> None:
    from PIL import Image, ImageChops

    for key, diagram in specs.items():
        image = Image.open(files[key]["png"])
        assert image.format == "PNG", key
        svg = files[key]["svg"].read_text(encoding="utf-8")
        width_pt, height_pt = (float(v) for v in re.search(r'<svg [^>]*width="([\d.]+)pt" height="([\d.]+)pt"',
                                                             svg).groups())
        assert image.size == (round(width_pt * 4 / 3), round(height_pt * 4 / 3)), key  # 96 px per 72 pt
        assert 150 <= image.width <= 4000 and 100 <= image.height <= 4000, (key, image.size)
        # Drawn again without the icons, the picture loses at least a little per node.
        bare = _drawn_by_cairosvg(re.sub(r"<use [^>]*/>", "", svg))
        difference = ImageChops.difference(image.convert("RGB"), bare).convert("L")
        changed = sum(difference.point(lambda value: 255 if value > 40 else 0).histogram()[255:])
        assert changed > 300 * len(diagram.nodes), (key, changed)


@pytest.mark.slow
def test_every_png_shows_what_cairosvg_draws_of_the_published_svg(specs: dict, files: Files) -> None:
    """The PNGs are drawn by Patternbook's own cairo renderer of Graphviz's SVG; cairosvg, a
    general SVG renderer on the same cairo, draws the same picture to within text anti-aliasing."""
    from PIL import Image

    from patternbook.diagrams.png import _draw_with_cairosvg
    from tests.diagrams.test_png import assert_same_picture, pixels

    for key in specs:
        ours = Image.open(files[key]["png"]).convert("L")
        assert_same_picture(ours, pixels(_draw_with_cairosvg(files[key]["svg"].read_bytes())), key)


@pytest.mark.slow
def test_every_format_is_byte_identical_across_renders_and_cached_together(
        catalogue: Catalogue, files: Files, threaded: FreshRender) -> None:
    again = threaded.files  # a cold render into an empty cache, not the cache ``files`` came from
    for key, formats in files.items():
        for suffix, path in formats.items():
            assert again[key][suffix].read_bytes() == path.read_bytes(), (key, suffix)
    before = DOT_STATS.snapshot()
    warm = render_pattern_diagram_files(list(catalogue.entries.values()), threaded.cache_dir)
    assert DOT_STATS.snapshot() == before  # a warm render starts no process for any format
    assert warm == again


def test_missing_cairo_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """cairocffi raises OSError at import when libcairo is absent; the build says what to install."""
    import importlib.abc
    import sys

    from patternbook.diagrams.downloads import CairoNotFound, png_document

    class WithoutCairo(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: object, target: object = None) -> None:
            if name == "cairocffi":
                raise OSError("no library called \"cairo-2\" was found")  # cairocffi's own words

    monkeypatch.delitem(sys.modules, "cairocffi", raising=False)
    monkeypatch.setattr(sys, "meta_path", [WithoutCairo(), *sys.meta_path])
    with pytest.raises(CairoNotFound) as failure:
        png_document(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert "apt-get install libcairo2" in str(failure.value) and "brew install cairo" in str(failure.value)


@pytest.mark.slow
def test_forked_workers_write_the_same_files_as_threads(files: Files, forked: FreshRender,
                                                        threaded: FreshRender) -> None:
    """A large cold render runs in forked processes, a small one in threads: same bytes either way."""
    assert (forked.pools, threaded.pools) == (1, 0)
    assert forked.files.keys() == threaded.files.keys() == files.keys()
    for key, formats in forked.files.items():
        assert {suffix: path.read_bytes() for suffix, path in formats.items()} == \
            {suffix: path.read_bytes() for suffix, path in threaded.files[key].items()}, key


STENCILS = Path(__file__).parent / "data" / "drawio_aws4_stencils.txt"


def test_every_drawio_aws_shape_is_a_stencil_draw_io_lists() -> None:
    """Each ``mxgraph.aws4`` name we write is one draw.io's AWS sidebar offers
    (the list and the commit it was taken from: tests/diagrams/data)."""
    known = {line for line in STENCILS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    assert len(known) > 300
    assert {stencil for stencil, _ in AWS4_SHAPES.values()} - known == set()
    for icon in AWS4_SHAPES:
        assert (icons_directory() / icon).is_file(), icon  # a diagrams icon, not a guess


def test_every_shipped_aws_icon_is_a_draw_io_shape_or_knowingly_a_picture(specs: dict) -> None:
    """A new AWS kind in the catalogue gets a draw.io shape or joins this list on purpose:
    draw.io's AWS sidebar of the recorded commit has nothing for these."""
    pictures = {
        "aws/analytics/data-lake-resource.png", "aws/analytics/glue-crawlers.png",
        "aws/analytics/glue-data-catalog.png",
        "aws/analytics/lake-formation.png", "aws/analytics/managed-streaming-for-kafka.png",
        "aws/compute/compute-optimizer.png", "aws/compute/elastic-container-service-service.png",
        "aws/cost/savings-plans.png", "aws/database/dynamodb-streams.png", "aws/devtools/codeartifact.png",
        "aws/general/general.png", "aws/integration/eventbridge.png", "aws/integration/eventbridge-scheduler.png",
        "aws/management/amazon-managed-grafana.png", "aws/management/amazon-managed-workflows-apache-airflow.png",
        "aws/management/cloudwatch-logs.png", "aws/management/organizations.png",
        "aws/management/systems-manager-app-config.png", "aws/ml/bedrock.png", "aws/network/transit-gateway.png",
        "aws/security/identity-and-access-management-iam-access-analyzer.png", "aws/security/security-hub.png",
        "aws/storage/backup.png",
    }
    shipped = {icon_name(node_class(node.kind)) for diagram in specs.values() for node in diagram.nodes}
    aws = {icon for icon in shipped if icon.startswith("aws/")}
    assert aws - set(AWS4_SHAPES) - pictures == set()
    assert pictures & set(AWS4_SHAPES) == set()


def test_the_png_carries_the_drawio_file_before_its_pixels(files: Files) -> None:
    """draw.io stops at the first IDAT: the text chunk comes before it, and Pillow still reads the picture."""
    from PIL import Image

    png = next(iter(files.values()))["png"].read_bytes()
    assert png.index(b"tEXtmxfile\0") < png.index(b"IDAT")
    assert drawio_source_of_png(png).startswith("<mxfile ")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.text["mxfile"].startswith("%3Cmxfile")


def test_inline_texts_are_the_cached_files_whether_drawn_yet_or_not(catalogue: Catalogue, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are planned while a cold render still draws: the Mermaid and DOT text they carry,
    made from the spec there and then, is the text the render writes; a warm build reads it."""
    from patternbook.diagrams import inline_download_texts, render, start_pattern_diagram_files
    from patternbook.schema.diagram import INLINE_DOWNLOAD_FORMATS

    entries = list(catalogue.entries.values())[:6]
    monkeypatch.setattr(render, "FORK_FROM", 1)
    monkeypatch.setattr(render.threading, "active_count", lambda: 1)
    cold_files, pending = start_pattern_diagram_files(entries, tmp_path, background=True)
    assert not all(pending.ready)
    cold = inline_download_texts(entries, cold_files, pending)
    pending.wait()
    warm_files, warm_pending = start_pattern_diagram_files(entries, tmp_path, background=True)
    assert all(warm_pending.ready)
    assert inline_download_texts(entries, warm_files, warm_pending) == cold
    for key, formats in cold_files.items():
        assert cold[key] == {suffix: formats[suffix].read_text(encoding="utf-8")
                             for suffix in INLINE_DOWNLOAD_FORMATS}, key
