"""The handbook's generated pages and pieces, assembled from a Patternbook checkout.

The handbook's MkDocs hook (``handbook/hooks.py``) only asks this module for
pages and files and hands them to MkDocs: what the pages say is decided here,
so the hook stays as thin as the library's plugin.

Prose pages may hold a marker line ``<!-- handbook: NAME -->``, replaced at
build time by the generated piece of that name (:data:`PIECES`): the security
page's table of escaping functions, the architecture page's diagram.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from patternbook.reference.architecture import architecture_diagram, import_layers, render_architecture_svg
from patternbook.reference.commands import command_reference
from patternbook.reference.diagnostics import codes_without_example, diagnostics_reference
from patternbook.reference.escaping_contexts import escaping_table
from patternbook.reference.fields import field_reference_section
from patternbook.reference.markdown import inline_text
from patternbook.schema import AntiPatternFile, CatalogueFile, PatternFile

__all__ = ["ARCHITECTURE_SVG", "PIECES", "Checkout", "expand_pieces", "generated_files", "generated_pages"]

#: Where the architecture diagram lands in the handbook (the architecture page sits at the root).
ARCHITECTURE_SVG = "assets/architecture.svg"
#: The bundle shown first for examples: the shipped pattern every guide points at.
EXAMPLE_PATTERN = "circuit-breaker"
_MARKER = re.compile(r"^<!-- handbook: ([a-z-]+) -->$", re.M)


@dataclass(frozen=True)
class Checkout:
    """A Patternbook repository: the code and the data the reference is generated from."""

    root: Path

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"

    @property
    def negative_cases(self) -> Path:
        return self.root / "tests" / "validation" / "cases" / "negative"

    @property
    def patterns(self) -> Path:
        return self.root / "patterns"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "patternbook" / "diagrams"

    def bundle_documents(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The shipped patterns' and anti-patterns' ``pattern.yaml``, the example pattern first."""
        patterns: list[dict[str, Any]] = []
        anti_patterns: list[dict[str, Any]] = []
        files = sorted(self.patterns.glob("*/pattern.yaml"), key=lambda p: (p.parent.name != EXAMPLE_PATTERN, p))
        for path in files:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(document, dict):
                (anti_patterns if document.get("kind") == "anti-pattern" else patterns).append(document)
        return patterns, anti_patterns

    def catalogue_document(self) -> dict[str, Any]:
        document = yaml.safe_load((self.patterns / "catalogue.yaml").read_text(encoding="utf-8"))
        return document if isinstance(document, dict) else {}


def bundle_reference_page(checkout: Checkout, pattern_model: type = PatternFile,
                          anti_pattern_model: type = AntiPatternFile, catalogue_model: type = CatalogueFile) -> str:
    patterns, anti_patterns = checkout.bundle_documents()
    return "\n".join([
        "---\ntitle: Bundle reference\n---\n",
        "# Bundle reference\n",
        "Every field a bundle file may hold, generated from Patternbook's models when this handbook was built. "
        "*Required* means required inside its parent: a field of an optional mapping is required only when "
        "the mapping is written. List items are shown as `[]`. Examples come from the shipped catalogue.\n",
        "Besides the limits shown, text fields refuse placeholders (`TODO`, `TBD`, `FIXME`, `XXX`, "
        "`lorem ipsum`, a bare `...`), invisible and direction-changing characters, and prose that says "
        "too little; ids such as `category`, `tags` and `pressure.symptoms` must exist in `catalogue.yaml`. "
        "The [diagnostics reference](diagnostics.md) lists every rule by code.\n",
        "## pattern.yaml: a pattern\n",
        "`slug` and `solution` are not written here: the slug is the folder's name and the solution is "
        "`solution.md`.\n",
        field_reference_section(pattern_model, patterns),
        "## pattern.yaml: an anti-pattern (`kind: anti-pattern`)\n",
        field_reference_section(anti_pattern_model, anti_patterns),
        "## catalogue.yaml\n",
        "The catalogue's vocabularies: the categories, tags, symptoms, series and repository hosts "
        "bundles may name.\n",
        field_reference_section(catalogue_model, [checkout.catalogue_document()]),
    ])


def diagnostics_reference_page(checkout: Checkout) -> str:
    missing = codes_without_example(checkout.negative_cases)
    note = ("" if not missing else
            "These codes have no fixture yet, so no snippet: " + ", ".join(inline_text(c) for c in missing) + ".\n")
    return "\n".join([
        "---\ntitle: Diagnostics reference\n---\n",
        "# Diagnostics reference\n",
        "Every problem Patternbook reports has a stable code, printed as "
        "`path:line:col: CODE field: message`. This page is generated from the code registry; each "
        "snippet is a test fixture that the test suite validates and that produces the code shown "
        "(invisible and control characters appear as `?`, as `patternbook validate` prints them). "
        "Warnings fail only with `--strict`, which CI uses.\n",
        note,
        diagnostics_reference(checkout.negative_cases),
    ])


def command_reference_page(parser: Any) -> str:
    return "\n".join([
        "---\ntitle: Command reference\n---\n",
        "# Command reference\n",
        "Every command and option of `patternbook`, generated from its argument parser (the same text as "
        "`patternbook COMMAND --help`).\n",
        command_reference(parser),
    ])


def generated_pages(checkout: Checkout) -> dict[str, str]:
    """The reference pages by their path in the handbook's docs folder."""
    from patternbook.cli import build_parser

    return {
        "reference/bundle.md": bundle_reference_page(checkout),
        "reference/diagnostics.md": diagnostics_reference_page(checkout),
        "reference/commands.md": command_reference_page(build_parser()),
    }


def generated_files(checkout: Checkout) -> dict[str, bytes]:
    """Generated files other than pages, by site path: the architecture diagram."""
    diagram = architecture_diagram(import_layers(checkout.pyproject))
    return {ARCHITECTURE_SVG: render_architecture_svg(diagram, checkout.cache)}


def _layers_piece(checkout: Checkout) -> str:
    layers = import_layers(checkout.pyproject)
    diagram = architecture_diagram(layers)
    lines = [f"![{inline_text(diagram.alt)}]({ARCHITECTURE_SVG}){{ width=\"300\" }}\n",
             "From top to bottom (read from `pyproject.toml` when this handbook was built):\n"]
    lines += [f"{index}. " + ", ".join(inline_text(name, code=True) for name in modules)
              for index, modules in enumerate(layers, start=1)]
    return "\n".join(lines) + "\n"


#: Generated pieces a prose page may place with ``<!-- handbook: NAME -->``.
PIECES: Mapping[str, Callable[[Checkout], str]] = {
    "escaping-contexts": lambda checkout: escaping_table(),
    "import-layers": _layers_piece,
}


def expand_pieces(markdown: str, checkout: Checkout) -> str:
    """``markdown`` with each marker line replaced by its piece; an unknown name is an error."""
    def piece(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PIECES:
            raise KeyError(f"no generated piece named {name!r} (known: {', '.join(sorted(PIECES))})")
        return PIECES[name](checkout)

    return _MARKER.sub(piece, markdown)
