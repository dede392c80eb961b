"""``llms.txt`` and the ``.md`` twins are Markdown that assistants and tools parse:
contributor text in them is literal, links go where Patternbook points them,
and no image or raw HTML comes from a contributor."""

from __future__ import annotations

from functools import cache

import markdown_it

from patternbook.catalogue import Catalogue
from patternbook.pages.agent_documents import agent_prose, llms_txt, pattern_markdown
from patternbook.validation import validate_paths
from tests.conftest import FIXTURE_CATALOGUE

HOSTILE_TITLE = "Name](https://elsewhere.example) [x"
HOSTILE_SUMMARY = "A summary ![pixel](https://track.example/p.png) with <img src=x onerror=alert(1)> in it, ok."


@cache
def _catalogue() -> Catalogue:
    report = validate_paths([FIXTURE_CATALOGUE])
    patterns = dict(report.patterns)
    assert patterns
    slug = sorted(patterns)[0]
    patterns[slug] = patterns[slug].model_copy(update={"title": HOSTILE_TITLE, "summary": HOSTILE_SUMMARY})
    return Catalogue.from_models(report.catalogue, patterns, report.anti_patterns)


def _tokens(markdown: str) -> list[object]:
    blocks = markdown_it.MarkdownIt("commonmark").parse(markdown)
    return [t for block in blocks for t in [block, *(block.children or [])]]


def test_a_title_cannot_re_point_its_link_in_llms_txt() -> None:
    text = llms_txt(_catalogue(), "Site [x](https://e.example) <b>", None, lambda path: f"https://ours.example/{path}")
    tokens = _tokens(text)
    hrefs = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert hrefs and all(href.startswith("https://ours.example/") for href in hrefs), hrefs
    assert not {t.type for t in tokens} & {"image", "html_inline", "html_block"}


def test_a_pattern_twin_holds_no_contributor_image_link_or_html() -> None:
    catalogue = _catalogue()
    pattern = catalogue.patterns[sorted(catalogue.patterns)[0]]
    tokens = _tokens(pattern_markdown(pattern, catalogue))
    assert not {t.type for t in tokens} & {"image", "html_inline", "html_block"}
    assert not [t for t in tokens if t.type == "link_open" and "elsewhere" in (t.attrGet("href") or "")]
    inline = next(tokens[i + 1] for i, t in enumerate(tokens) if t.type == "heading_open")
    assert "".join(child.content for child in inline.children) == HOSTILE_TITLE  # shown literally


def test_solution_prose_keeps_its_markdown_but_not_images_or_raw_html() -> None:
    prose = ("## Flow\n\nUse `List<T>` and **bold** [docs](https://ok.example).\n\n"
             "![x](https://t.example/p.png) <b>y</b>\n")
    tokens = _tokens(agent_prose(prose))
    kinds = {t.type for t in tokens}
    assert {"code_inline", "strong_open", "link_open"} <= kinds
    assert not kinds & {"image", "html_inline", "html_block"}
    assert "List<T>" in [t.content for t in tokens if t.type == "code_inline"]
