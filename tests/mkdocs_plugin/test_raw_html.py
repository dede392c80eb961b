"""Setting HTML blocks aside while Python-Markdown converts a generated page gives
exactly what Python-Markdown gives with them in place (the whole-site check is the
determinism test; this one covers every generated page, and the refusals)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from benchmarks.synthetic import write_catalogue
from mkdocs.utils.meta import get_data

from patternbook.mkdocs_plugin.raw_html import RawHtmlBlocks, sets_aside_safely
from patternbook.pipeline.build import LibrarySettings, build_library
from tests.conftest import PROJECT, shared_cache_dir

#: The shipped site's Markdown configuration (mkdocs.yml) plus MkDocs' built-in extensions.
EXTENSIONS = ["toc", "tables", "fenced_code"]
CONFIGS = {"toc": {"permalink": True}}


def _convert(text: str) -> tuple[str, str]:
    """(HTML, table of contents) from a fresh Python-Markdown, as MkDocs converts a page."""
    converter = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    return converter.convert(text), converter.toc


def _both_ways(text: str) -> tuple[tuple[str, str], tuple[str, str], RawHtmlBlocks]:
    blocks = RawHtmlBlocks()
    shortened = blocks.set_aside(text)
    html, toc = _convert(shortened)
    return _convert(text), (blocks.restore(html), toc), blocks


@pytest.mark.slow
@pytest.mark.parametrize("catalogue", ["shipped", "synthetic"])
def test_every_generated_page_converts_the_same_with_its_blocks_set_aside(catalogue: str, tmp_path: Path) -> None:
    root = PROJECT / "patterns" if catalogue == "shipped" else write_catalogue(tmp_path / "synthetic", 40)
    # The session's diagram cache: the shipped catalogue's diagrams are drawn once, for this
    # build or for the session's shipped site, whichever comes first (only the pages are read here).
    build = build_library(LibrarySettings(root, PROJECT / "templates", shared_cache_dir(tmp_path / "cache")))
    set_aside = 0
    for page in build.plan.pages:
        body, _ = get_data(page.content)
        plain, shortcut, blocks = _both_ways(body)
        assert shortcut == plain, page.path
        set_aside += len(blocks.blocks)
        if page.path.startswith("patterns/"):
            assert blocks.blocks, page.path  # pattern pages are mostly HTML blocks
    assert set_aside > len(build.plan.pages)


@pytest.mark.parametrize("text", [
    "<div>\n<!-- a comment -->\n</div>\n",
    "<div>\n<pre>\n  kept   </pre>\n</div>\n",
    "<div>\n<script>if (a < b) {}</script>\n</div>\n",
    '<div markdown="1">\n*emphasis*\n</div>\n',
    "<div>\n\tindented with a tab\n</div>\n",
    "<div>\n   \n</div>\n",
    "<div>\n<div/>\n</div>\n",
    "<div>\nnot closed\n",
    "<div>\n</div> and text after\n",
    "<div>\n</div>\nno blank line after\n",
    "Paragraph\n<div>\n</div>\n",
    "```\n\n<div>\n</div>\n\n```\n",
    "<span>\ninline element\n</span>\n",
])
def test_blocks_python_markdown_might_change_stay_in_the_markdown(text: str) -> None:
    plain, shortcut, blocks = _both_ways(text)
    assert blocks.blocks == []
    assert shortcut == plain


def test_blocks_are_put_back_verbatim_with_their_anchor_ids() -> None:
    text = ('# Title\n\n<div class="a" id="first">\n<div>\n<a name="old">x</a>\n</div>\n</div>\n\n## Next\n\n'
            '<figure id="fig&amp;1">\n<p data-id="not-an-anchor">y</p>\n</figure>\n')
    plain, shortcut, blocks = _both_ways(text)
    assert len(blocks.blocks) == 2
    assert shortcut == plain
    assert blocks.anchor_ids() == {"first", "old", "fig&1"}


def test_only_extensions_known_to_pass_raw_html_through_allow_it() -> None:
    assert sets_aside_safely(["toc", "tables", "fenced_code", "attr_list"])
    assert not sets_aside_safely(["toc", "pymdownx.snippets"])
    assert not sets_aside_safely(["toc", "md_in_html"])
