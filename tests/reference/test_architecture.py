"""The architecture diagram is the import-linter layers contract, drawn by our own renderer."""

from __future__ import annotations

from pathlib import Path

from patternbook.reference.architecture import architecture_diagram, import_layers, render_architecture_svg
from patternbook.reference.escaping_contexts import escaping_contexts
from patternbook.reference.handbook import Checkout, expand_pieces
from tests.conftest import PROJECT


def test_the_layers_are_read_from_pyproject_and_drawn_top_to_bottom(tmp_path: Path) -> None:
    layers = import_layers(PROJECT / "pyproject.toml")
    assert layers[0] == ("reference",) and layers[-1] == ("escaping", "themes")
    diagram = architecture_diagram(layers)
    assert diagram.nodes[0].label == "reference"
    assert len(diagram.edges) == len(layers) - 1 and diagram.direction == "TB"
    svg = render_architecture_svg(diagram, tmp_path).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "escaping" in svg


def test_a_layer_added_to_the_contract_reaches_the_diagram(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text((PROJECT / "pyproject.toml").read_text(encoding="utf-8").replace(
        '  "patternbook.cli",\n', '  "patternbook.radar",\n  "patternbook.cli",\n', 1), encoding="utf-8")
    assert ("radar",) in import_layers(pyproject)


def test_the_security_page_table_names_every_escaping_function() -> None:
    names = {name for _, functions, _ in escaping_contexts() for name in functions}
    assert {"html_text", "markdown_inline", "terminal_text", "strict_json"} <= names
    page = expand_pieces("before\n<!-- handbook: escaping-contexts -->\nafter\n", Checkout(PROJECT))
    assert "<code>html\\_text</code>" in page and "<!-- handbook" not in page
