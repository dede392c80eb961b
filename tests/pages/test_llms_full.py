"""``llms-full.txt``: every bundle of every kind as its Markdown twin in one file, one
file per category as well past a size, linked from ``llms.txt``; written by the
post-build step. In-process, on the fixture catalogue (no site build)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import markdown_it

from patternbook.catalogue import Catalogue
from patternbook.pages.agent_documents import bundle_markdown
from patternbook.pages.llms_full import (
    LLMS_FULL_PATH,
    LLMS_FULL_SPLIT_BYTES,
    category_file_path,
    llms_full_files,
    llms_full_links,
)
from patternbook.pipeline.build import LibraryBuild
from patternbook.postbuild.agent_files import write_agent_files
from patternbook.postbuild.context import PostBuildContext
from patternbook.schema import Category
from patternbook.validation import validate_paths
from tests.conftest import FIXTURE_CATALOGUE

HOSTILE = "Data [x](https://elsewhere.example) <b>"


@cache
def _catalogue() -> Catalogue:
    """The fixture catalogue's pattern and anti-pattern (its third bundle relates to one outside it), the
    pattern moved to a second category whose title is hostile."""
    report = validate_paths([FIXTURE_CATALOGUE])
    assert report.catalogue is not None and report.patterns and report.anti_patterns
    second = Category(id="data", title=HOSTILE, description="Patterns for the data a service keeps, moves and "
                                                            "serves, and what breaks when it grows.")
    definitions = report.catalogue.model_copy(update={"categories": [*report.catalogue.categories, second]})
    patterns = dict(report.patterns)
    patterns["other-neighbour"] = patterns["other-neighbour"].model_copy(update={"category": "data"})
    return Catalogue.from_models(definitions, patterns, report.anti_patterns)


def _tokens(markdown: str) -> list:
    return [t for block in markdown_it.MarkdownIt("commonmark").parse(markdown)
            for t in [block, *(block.children or [])]]


def test_the_whole_file_holds_every_bundle_of_every_kind_as_its_twin() -> None:
    catalogue = _catalogue()
    [whole] = llms_full_files(catalogue, "Site", None)
    assert whole.path == LLMS_FULL_PATH and whole.bundles == len(catalogue.entries) == 2
    assert whole.size < LLMS_FULL_SPLIT_BYTES
    assert {b.kind for b in catalogue.entries.values()} == {"pattern", "anti-pattern"}
    for bundle in catalogue.entries.values():
        assert whole.text.count(bundle_markdown(bundle, catalogue)) == 1, bundle.slug
    # Categories in catalogue.yaml's order: the reliability bundle comes before the data one.
    assert whole.text.index("# Other neighbour") > whole.text.index("# Neighbour anti-pattern")
    # One heading of its own, then each twin's title, each bundle after a thematic break.
    tokens = _tokens(whole.text)
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1 + len(catalogue.entries)
    assert sum(t.type == "hr" for t in tokens) == len(catalogue.entries)


def test_past_the_size_it_is_also_written_one_category_per_file() -> None:
    catalogue = _catalogue()
    files = llms_full_files(catalogue, "Site", None, split_bytes=1_000)
    assert [f.path for f in files] == [LLMS_FULL_PATH, category_file_path("reliability"), category_file_path("data")]
    whole, *parts = files
    assert sum(part.bundles for part in parts) == whole.bundles
    for bundle in catalogue.entries.values():
        holding = [part.path for part in parts if bundle_markdown(bundle, catalogue) in part.text]
        assert holding == [category_file_path(bundle.category)], bundle.slug


def test_llms_txt_lines_link_each_file_and_contributor_text_stays_text() -> None:
    files = llms_full_files(_catalogue(), f"Site {HOSTILE}", HOSTILE, split_bytes=1_000)
    lines = llms_full_links(files, lambda path: f"https://ours.example/{path}")
    assert len(lines) == 3 and lines[0].startswith("- [Site ") and "(2 bundles, " in lines[0]
    hrefs = [t.attrGet("href") for t in _tokens("\n".join(lines)) if t.type == "link_open"]
    assert hrefs == [f"https://ours.example/{f.path}" for f in files]
    for file in files:
        head = file.text.split("\n---\n", 1)[0]  # what this module adds; the twins escape their own text
        tokens = _tokens(head)
        assert not [t for t in tokens if t.type in ("link_open", "image", "html_inline", "html_block")], file.path
        assert "[x](https://elsewhere.example)" not in head and "\\[x\\]" in head


def test_the_post_build_step_writes_the_file_and_llms_txt_links_it(tmp_path: Path) -> None:
    catalogue = _catalogue()
    build = LibraryBuild(validate_paths([FIXTURE_CATALOGUE]), plan=None,  # type: ignore[arg-type]  (no plan read)
                         catalogue=catalogue)
    site = tmp_path / "site"
    site.mkdir()

    write_agent_files(PostBuildContext(site, build, site_name="Fixture"))

    whole = (site / LLMS_FULL_PATH).read_text(encoding="utf-8")
    for slug in catalogue.entries:
        assert (site / "patterns" / f"{slug}.md").read_text(encoding="utf-8") in whole
    llms = (site / "llms.txt").read_text(encoding="utf-8")
    assert f"- [Fixture: the whole library]({LLMS_FULL_PATH}): every bundle as Markdown in one file (2 bundles, " \
        in llms
    assert not (site / "llms-full").exists()  # far below the size that splits it
