"""The escaping functions for terminals, Markdown files and YAML, each checked
against the reader of that context (a CommonMark parser, PyYAML)."""

from __future__ import annotations

import logging
import tomllib

import pytest
import yaml

from patternbook.escaping import (
    TerminalTextFilter,
    markdown_link_url,
    markdown_text,
    terminal_text,
    toml_string,
    yaml_string,
)

HOSTILE = ["Name](https://elsewhere.example) and [x", "![t](https://track.example/p.png)", "<b>x</b> <img src=x>",
           "`a` \\` <i>y</i>", "line\n# heading\n- [l](https://e.example)", "<https://auto.example>",
           "a\x1b]0;title\x07b \x9b31m c\r d \u202e e \u2028 f"]


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_is_literal_text_to_a_commonmark_reader(value: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark")
    link = f"- [{markdown_text(value)}](https://ours.example/p.md): {markdown_text(value)}"
    tokens = [t for block in parser.parse(link) for t in [block, *(block.children or [])]]
    kinds = {t.type for t in tokens}
    assert not kinds & {"image", "html_inline", "html_block", "heading_open", "code_inline"}
    hrefs = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert hrefs == ["https://ours.example/p.md"]  # the title never re-points its link
    text = "".join(t.content for t in tokens if t.type == "text")
    assert " ".join(value.split()) in text


def test_markdown_link_urls_cannot_end_the_link_or_add_a_title() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    url = 'https://ours.example/a b) "t" (x'
    tokens = markdown_it.MarkdownIt("commonmark").parseInline(f"[t]({markdown_link_url(url)})")[0].children
    assert tokens[0].type == "link_open" and tokens[0].attrGet("title") is None
    assert tokens[0].attrGet("href") == "https://ours.example/a%20b%29%20%22t%22%20%28x"


@pytest.mark.parametrize("value", [*HOSTILE, 'q"uote\\ # c: d &a *b', "emoji 😀 \x85 \ufeff \ud800"[:-1]])
def test_yaml_strings_read_back_exactly(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(value)}\nother: 1\n") == {"key": value, "other": 1}


def test_terminal_text_leaves_no_control_or_direction_character() -> None:
    value = "a\x1b[31mred\x07\x9b\r\n\u202eevil\u2066\u200b\ufeff\tend"
    shown = terminal_text(value)
    assert shown == "a?[31mred?????evil???\tend"
    assert terminal_text(value, keep_newlines=True).split("\n") == ["a?[31mred???", "?evil???\tend"]


def test_the_log_filter_cleans_every_record_message() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "key %s: %s", ("\x1b]8;;evil\x07", "v\r"), None)
    assert TerminalTextFilter().filter(record) and record.getMessage() == "key ?]8;;evil?: v?"


#: Text that would end a TOML string, start a key or a table, or hide in an editor.
TOML_HOSTILE = [*HOSTILE, 'q"uote\\ # c', '"""\n[project]\nsite_name = "evil"\n', "x\" = 1\n[y]\nz = \"",
                "tab\there nul\x00 bs\x08 ff\x0c del\x7f nel\x85 bom\ufeff", "\\u0041 \\n stay literal", "emoji 😀 ü"]


@pytest.mark.parametrize("value", TOML_HOSTILE)
def test_toml_strings_read_back_exactly_as_values_and_keys(value: str) -> None:
    document = f"[project]\nfirst = {toml_string(value)}\n{toml_string(value)} = 1\nlast = 2\n"
    assert tomllib.loads(document) == {"project": {"first": value, value: 1, "last": 2}}


def test_a_toml_string_holds_no_raw_control_or_line_break() -> None:
    written = toml_string("a\nb\rc\x00d\u2028e\u2029f\x1b")
    assert written == '"a\\nb\\rc\\u0000d\\u2028e\\u2029f\\u001b"'
    surrogate = toml_string("lone \ud800 surrogate")
    assert tomllib.loads(f"k = {surrogate}") == {"k": "lone \ufffd surrogate"}
