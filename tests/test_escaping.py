"""One escaping function per output context, each checked against the parser
of that context, and a source check that no regular-expression replacement is
a template built from a value."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from patternbook.escaping import (
    dot_string,
    front_matter,
    html_text,
    json_attribute,
    markdown_inline,
    mermaid_label,
    mxgraph_attribute,
    nav_title,
    strict_json,
    techdocs_page_body,
    xml_text,
)
from tests.conftest import PROJECT

HOSTILE = ['<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', "</title><script>x</script>", "a & b",
           "\\q \\0 \\1 \\N", "&#0; &lt;", "{{ 7 * 7 }}", "[x](javascript:y) *em* `code` # h {: onclick=z }",
           "\uffff \x01 bidi \u202e"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


@pytest.mark.parametrize("value", HOSTILE)
def test_html_and_navigation_text_parse_back_to_the_same_text(value: str) -> None:
    for escaped in (str(html_text(value)), nav_title(value)):
        parsed = _Tags()
        parsed.feed(f"<p title=\"{escaped}\">{escaped}</p>")
        assert parsed.tags == ["p"] and parsed.text == value


#: What techdocs-core's preprocessors read as directives, inside HTML too (escaping.py says which).
TECHDOCS_DIRECTIVES = ["{% dot x.svg\ndigraph G { a [URL=\"javascript:alert(1)\"] }\n%}",
                       "```graphviz dot x.svg\ndigraph G {}\n```", "~~~uml\nA -> B\n~~~",
                       "text ```plantuml\nA -> B\n```", '::uml:: source="/etc/passwd"\n::end-uml::',
                       "{++inserted++} {--deleted--}", "\\{% dot", "`code` ~tilde~"]


@pytest.mark.parametrize("value", TECHDOCS_DIRECTIVES + HOSTILE)
def test_techdocs_page_bodies_show_the_same_text_and_start_no_directive(value: str) -> None:
    for line_start in ("", "\n"):
        body = techdocs_page_body(f"<pre><code>{line_start}{html_text(value)}</code></pre>")
        parsed = _Tags()
        parsed.feed(body)
        assert parsed.tags == ["pre", "code"] and parsed.text == line_start + value
        assert not re.search(r"^\{|`{3}|~{3}|::uml::", body, re.MULTILINE), body


def test_techdocs_page_bodies_keep_markdown_headings_literal() -> None:
    import markdown

    title = "Cache {% dot ~~~ ::uml:: ```"
    html = markdown.markdown(techdocs_page_body(f"# {markdown_inline(title)}"))
    parsed = _Tags()
    parsed.feed(html)
    assert parsed.tags == ["h1"] and parsed.text == title


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_inline_renders_as_literal_text(value: str) -> None:
    import markdown

    html = markdown.markdown(f"# {markdown_inline(value)}", extensions=["tables", "toc"])
    parsed = _Tags()
    parsed.feed(html)
    assert parsed.tags == ["h1"]
    assert parsed.text == value


@pytest.mark.parametrize("value", HOSTILE)
def test_front_matter_is_yaml_of_escaped_strings(value: str) -> None:
    text = front_matter({"title": value, "tags": [value]})
    data = yaml.safe_load(text.strip().strip("-"))
    parsed = _Tags()
    parsed.feed(data["title"])
    assert parsed.tags == [] and parsed.text == value and data["tags"] == [data["title"]]


@pytest.mark.parametrize("value", HOSTILE)
def test_xml_text_is_well_formed(value: str) -> None:
    element = ElementTree.fromstring(f"<t a=\"{xml_text(value)}\">{xml_text(value)}</t>")
    assert element.text.replace("\ufffd", "") == re.sub("[\x01\uffff]", "", value)


@pytest.mark.parametrize("value", HOSTILE)
def test_dot_labels_show_exactly_the_text(value: str) -> None:
    graphviz = pytest.importorskip("graphviz")
    label = value.replace("\n", " ")
    source = f'digraph {{ n [label="{dot_string(label).replace(chr(34), chr(92) + chr(34))}"] }}'
    answer = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, timeout=30, check=True)
    svg = ElementTree.fromstring(answer.stdout)
    shown = "".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert shown == re.sub("[\x01\uffff]", "\ufffd", label)
    assert graphviz  # the diagrams layer quotes through this package


#: Strings aimed at the draw.io and Mermaid outputs: ways out of a quoted label, Mermaid
#: comments, directives, click callbacks and keywords, entity codes, line breaks, unicode.
DIAGRAM_HOSTILE = [*HOSTILE, 'x"] --> y["z', "]] ) } | |> ; end", "end", "%% a comment",
                   "%%{init: {'securityLevel': 'loose'}}%%",
                   'a"]\n    click n_a call alert(1)', 'a"]; click n_a callback "b', "click", "callback",
                   "#quot; #35; #amp; #9829;", "style x:#f00;", "classDef a fill:#f00;", "line one\nline two",
                   "tab\there\r", "`**markdown**`", "Zürich 東京 😀 é", "\u200b\u2028\u2029"]


@pytest.mark.parametrize("value", DIAGRAM_HOSTILE)
def test_mxgraph_attributes_read_back_exactly(value: str) -> None:
    cell = ElementTree.fromstring(f'<mxCell id="{mxgraph_attribute(value)}" value="{mxgraph_attribute(value)}" '
                                  'style="html=0;" vertex="1"/>')
    expected = re.sub("[\x01\uffff]", "\ufffd", value)
    assert cell.get("value") == expected and cell.get("id") == expected
    assert set(cell.attrib) == {"id", "value", "style", "vertex"}


def test_mermaid_labels_are_drawn_exactly_as_written(mermaid: object) -> None:
    """Each hostile string as a node, a cluster and an edge label, drawn by Mermaid
    itself: one node, one cluster and one edge each, the text shown as written,
    no link, script or click handler."""
    lines = ["flowchart LR"]
    for index, value in enumerate(DIAGRAM_HOSTILE):
        label = mermaid_label(value)
        lines += [f'    subgraph c_{index}["{label}"]', f'        n_{index}["{label}"]', "    end",
                  f'    n_{index} -->|"{label}"| m_{index}["end"]']
    drawn = mermaid.draw("\n".join(lines) + "\n")
    assert drawn.error is None, drawn.error
    # HTML parsing turns a carriage return into a line feed; the rest must arrive unchanged.
    expected = [re.sub("[\x01\uffff]", "\ufffd", value).replace("\r", "\n") for value in DIAGRAM_HOSTILE]
    assert sorted(drawn.nodes) == sorted(expected + ["end"] * len(expected))
    assert sorted(drawn.clusters) == sorted(expected)
    assert sorted(drawn.edges) == sorted(expected)
    assert (drawn.links, drawn.scripts, drawn.clickable) == (0, 0, 0)


def test_mermaid_reads_what_the_escaping_prevents(mermaid: object) -> None:
    """The checks above can fail: unescaped, the same strings break Mermaid's parse or its drawing."""
    broken = mermaid.draw('flowchart LR\n    n_a["a"] --> n_b["x"] --> y["z"]\n')
    assert broken.error is None and len(broken.nodes) == 3  # a quote in a label would have made a node
    assert mermaid.draw('flowchart LR\n    n_a["a"b"]\n').error is not None
    clicked = mermaid.draw('flowchart LR\n    n_a["a"]\n    click n_a href "https://example.test/"\n')
    assert clicked.error is None and clicked.links == 1


def test_strict_json_refuses_what_strict_parsers_refuse() -> None:
    assert json.loads(strict_json({"a": 1.5})) == {"a": 1.5}
    for value in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError):
            strict_json({"a": value})


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize("value", HOSTILE)
def test_json_in_an_attribute_parses_back_to_the_same_document(value: str) -> None:
    document = {"label": value, "values": [1.5, 0, 1e-05], value: {"nested": value}}
    parser = _Attributes()
    parser.feed(f'<form data-model="{json_attribute(document)}"><p>after</p></form>')
    parser.close()
    assert [tag for tag, _ in parser.elements] == ["form", "p"]
    assert json.loads(parser.elements[0][1]["data-model"] or "") == document
    assert "\n" not in str(json_attribute(document)) or "\n" in value


def test_no_regex_replacement_is_a_template_built_from_a_value() -> None:
    """``re.sub(pattern, f"…{value}…", text)`` reads backslashes in ``value`` as
    escapes and group references; replacements built from values must be functions."""
    offenders = []
    for path in sorted((PROJECT / "src").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            template = re.search(r"\bre\.sub\([^,]+,\s*(?:rf|fr|f)[\"']", line) or re.search(
                r"(?<!\bre)\.sub\(\s*(?:rf|fr|f)[\"']", line)
            if template:
                offenders.append(f"{Path(path).relative_to(PROJECT)}:{number}: {line.strip()}")
    assert offenders == []
