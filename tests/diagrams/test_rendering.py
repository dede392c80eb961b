"""Real ``dot`` renders of the shipped diagrams: structure, safety, determinism, cache."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from patternbook.catalogue import Catalogue
from patternbook.diagrams import DOT_STATS, GraphvizNotFound, render_neighbourhood_graphs, render_pattern_diagrams
from patternbook.validation import validate_paths
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    report = validate_paths([PROJECT / "patterns"])
    return Catalogue.from_models(report.catalogue, report.patterns)


@pytest.fixture(scope="module")
def rendered(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], bytes]:
    """Every shipped diagram's SVG, the format this module is about (tests/diagrams/test_downloads.py
    holds the downloads to the same rules of determinism and caching)."""
    return render_pattern_diagrams(catalogue.patterns.values(), tmp_path_factory.mktemp("cache"), downloads=False)


def _dot_runs() -> int:
    return DOT_STATS.snapshot()[0]


@dataclass
class ColdRender:
    svgs: dict[tuple[str, str], bytes]
    cache_dir: Path
    dot_runs: int
    """``dot`` processes the render started."""


@pytest.fixture(scope="module")
def cold(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> ColdRender:
    """Another render of every shipped diagram into an empty cache, shared by the tests that need one."""
    cache_dir = tmp_path_factory.mktemp("cold")
    before = _dot_runs()
    svgs = render_pattern_diagrams(catalogue.patterns.values(), cache_dir, downloads=False)
    return ColdRender(svgs, cache_dir, _dot_runs() - before)


def test_every_diagram_is_rendered(catalogue: Catalogue, rendered: dict) -> None:
    expected = {(p.slug, d.id) for p in catalogue.patterns.values() for d in p.diagrams}
    assert set(rendered) == expected


def test_svg_shows_labels_and_one_inlined_icon_per_node(catalogue: Catalogue, rendered: dict) -> None:
    for pattern in catalogue.patterns.values():
        for diagram in pattern.diagrams:
            svg = rendered[(pattern.slug, diagram.id)].decode().replace("&#45;", "-")
            assert svg.startswith("<svg ")
            # one <use> per node, each drawing an icon embedded once per distinct icon
            uses = re.findall(r'<use xlink:href="#([^"]+)"', svg)
            assert len(uses) == len(diagram.nodes), (pattern.slug, diagram.id)
            defined = re.findall(r'<image id="([^"]+)" xlink:href="data:image/png;base64,', svg)
            assert set(uses) == set(defined) and len(defined) == len(set(defined))
            assert len(defined) <= len({node.kind for node in diagram.nodes})
            for node in diagram.nodes:
                label = node.label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                assert label.split()[0] in svg, (pattern.slug, node.label)
            titles = [element.text for element in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}title")]
            assert diagram.title in titles, (pattern.slug, diagram.id)


def test_svg_carries_no_script_handlers_paths_or_foreign_references(rendered: dict) -> None:
    for key, svg in rendered.items():
        text = svg.decode()
        assert "<script" not in text.lower(), key
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), key
        for reference in re.findall(r'(?:xlink:)?href="([^"]*)"', text):
            internal = reference.startswith(f"#{key[0]}--{key[1]}-icon")
            assert internal or reference.startswith("data:image/png;base64,"), (key, reference[:60])
        assert not re.search(r"(/usr/|/root/|/home/|/work/|site-packages|/tmp/)", text), key
        assert "<!DOCTYPE" not in text and "<?xml" not in text


@pytest.fixture(scope="module")
def neighbourhoods(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render_neighbourhood_graphs(catalogue, tmp_path_factory.mktemp("near"), link=lambda s: f"../{s}/")


def test_neighbourhood_graph_nodes_link_to_pattern_pages(catalogue: Catalogue, neighbourhoods: dict) -> None:
    assert set(neighbourhoods) == set(catalogue.patterns)
    near = set(re.findall(r'xlink:href="([^"]*)"', neighbourhoods["circuit-breaker"]))
    assert "../retry-with-backoff-and-jitter/" in near and "../circuit-breaker/" in near


def test_rendering_is_byte_identical_across_builds(rendered: dict, cold: ColdRender) -> None:
    assert cold.svgs == rendered


def test_cache_runs_dot_zero_times_when_warm_and_only_for_edits(catalogue: Catalogue, cold: ColdRender) -> None:
    cache = cold.cache_dir
    patterns = list(catalogue.patterns.values())
    assert cold.dot_runs > 0

    before = DOT_STATS.snapshot()
    warm = render_pattern_diagrams(patterns, cache, downloads=False)
    assert DOT_STATS.snapshot() == before and warm == cold.svgs  # zero dot processes

    edited = patterns[0].model_copy(update={"diagrams": [
        patterns[0].diagrams[0].model_copy(update={"title": "An edited title"}), *patterns[0].diagrams[1:]]})
    graphs = DOT_STATS.snapshot()[1]
    render_pattern_diagrams([edited, *patterns[1:]], cache, downloads=False)
    assert DOT_STATS.snapshot()[1] - graphs == 1  # only the edited diagram was laid out again


@pytest.mark.parametrize("damaged", ["svg", "png"])
def test_corrupt_or_partial_cache_entry_is_rendered_again(catalogue: Catalogue, tmp_path: Path, damaged: str) -> None:
    cache = tmp_path / "cache"
    pattern = catalogue.patterns["circuit-breaker"]
    good = render_pattern_diagrams([pattern], cache)
    (entry,) = list((cache / "diagrams").rglob(f"*.{damaged}"))
    entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])  # a write cut short
    graphs = DOT_STATS.snapshot()[1]
    assert render_pattern_diagrams([pattern], cache) == good
    assert DOT_STATS.snapshot()[1] == graphs + 1
    manifest = dict(line.split(" ")[::-1] for line in entry.with_suffix(".sha256").read_text().splitlines())
    assert set(manifest) == {"svg", "png", "mmd", "gv"}
    for suffix, digest in manifest.items():
        assert hashlib.sha256(entry.with_suffix(f".{suffix}").read_bytes()).hexdigest() == digest


def test_missing_graphviz_says_how_to_install_it(catalogue: Catalogue, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without dot: the real situation on a bare machine
    with pytest.raises(GraphvizNotFound) as failure:
        render_pattern_diagrams([catalogue.patterns["circuit-breaker"]], tmp_path / "cache")
    message = str(failure.value)
    for platform_hint in ("apt-get install graphviz", "brew install graphviz", "winget install graphviz"):
        assert platform_hint in message


def test_nothing_is_written_outside_the_cache(catalogue: Catalogue, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    render_pattern_diagrams([catalogue.patterns["bulkhead"]], tmp_path / "cache")
    assert list(work.iterdir()) == []
    assert os.listdir(tmp_path) == ["cwd", "cache"] or sorted(os.listdir(tmp_path)) == ["cache", "cwd"]


def _ids(svg: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', svg)


def test_every_id_is_unique_across_all_diagrams_and_relation_graphs(rendered: dict, neighbourhoods: dict) -> None:
    # Clusters inherit the graph's id attribute in dot unless given their own; several
    # SVGs inlined in one page must not share an id either.
    documents = [svg.decode() for svg in rendered.values()] + list(neighbourhoods.values())
    every_id = [identifier for svg in documents for identifier in _ids(svg)]
    repeated = {identifier for identifier in every_id if every_id.count(identifier) > 1}
    assert not repeated, sorted(repeated)[:5]


def test_quotes_and_backslashes_in_labels_are_drawn_literally(catalogue: Catalogue, tmp_path: Path) -> None:
    pattern = catalogue.patterns["circuit-breaker"]
    spec = pattern.diagrams[0]
    tricky = 'say "hi" \\N \\G back\\'  # \N and \G would expand to the node and graph names in dot
    nodes = [spec.nodes[0].model_copy(update={"label": tricky}), *spec.nodes[1:]]
    edges = [spec.edges[0].model_copy(update={"label": 'a\\"b'}), *spec.edges[1:]]
    edited = pattern.model_copy(update={"diagrams": [spec.model_copy(update={"nodes": nodes, "edges": edges})]})
    svg = render_pattern_diagrams([edited], tmp_path)[(pattern.slug, spec.id)].decode()
    assert '>say &quot;hi&quot; \\N \\G back\\</text>' in svg
    assert '>a\\&quot;b</text>' in svg


def test_the_lean_plugin_folder_is_never_rewritten_once_in_place(tmp_path: Path) -> None:
    """dot processes of a running render read the folder's configuration: a second render (the
    relation graphs, while the diagrams are drawn in the background) must not write it again."""
    from patternbook.diagrams.graphviz_dot import find_dot, lean_plugin_directory

    dot = find_dot()
    folder = lean_plugin_directory(dot, tmp_path)
    assert folder == tmp_path / "graphviz-plugins"
    written = {entry.name: entry.lstat().st_mtime_ns for entry in folder.iterdir()}
    assert any(name.startswith("config") for name in written)
    assert lean_plugin_directory(dot, tmp_path) == folder
    assert {entry.name: entry.lstat().st_mtime_ns for entry in folder.iterdir()} == written
    # A folder made for another Graphviz (a link to a plugin that is not there) is replaced whole.
    stale = next(entry for entry in folder.iterdir() if entry.is_symlink())
    stale.unlink()
    stale.symlink_to(tmp_path / "gone.so")
    assert lean_plugin_directory(dot, tmp_path) == folder
    assert all(Path(os.readlink(entry)).exists() for entry in folder.iterdir() if entry.is_symlink())
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["graphviz-plugins"]  # nothing left beside it
