"""MkDocs hooks of Patternbook's handbook: hand off to the core, add what it returns.

The reference pages and the architecture diagram come from
:mod:`patternbook.reference.handbook`; the search index and the
Content-Security-Policy from Patternbook's post-build stage for sites without a
catalogue. Nothing here decides what a page says.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

from patternbook.postbuild.steps import run_site_post_build
from patternbook.reference.handbook import Checkout, expand_pieces, generated_files, generated_pages

CHECKOUT = Checkout(Path(__file__).resolve().parent.parent)
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_files(files: Files, config) -> Files:
    for path, markdown in generated_pages(CHECKOUT).items():
        files.append(File.generated(config, path, content=markdown))
    for path, content in generated_files(CHECKOUT).items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    return expand_pieces(markdown, CHECKOUT)


def on_post_build(config) -> None:
    run_site_post_build(Path(config["site_dir"]), serving=_serving)
