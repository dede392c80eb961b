"""One escaping function per output context.

Contributor text reaches many kinds of output, and each reads characters
differently: a ``<`` is harmless in JSON but live in HTML, a backslash is
harmless in HTML but an escape in DOT and in a regular-expression template.
Every contributor string goes through exactly one of these functions on its
way into an output, chosen by where it lands, never by what it holds:

============================  ==========================================
output context                function
============================  ==========================================
HTML text and attributes      :func:`html_text` (Jinja2 autoescape uses it)
Markdown parsed as inline     :func:`markdown_inline` (headings)
MkDocs navigation titles      :func:`nav_title`
page front matter, <title>    :func:`front_matter`
DOT labels and identifiers    :func:`dot_string`
SVG / XML text                :func:`xml_text`
draw.io (mxGraph) attributes  :func:`mxgraph_attribute` (labels drawn with ``html=0``)
Mermaid quoted labels         :func:`mermaid_label`
Mermaid node and subgraph ids :func:`mermaid_id`
JSON files                    :func:`strict_json`
JSON data in an HTML attribute :func:`json_attribute` (``data-*`` read by our scripts)
a text file as a ``data:`` URL  :func:`text_data_url` (diagram downloads carried by the page)
GitHub-flavoured Markdown     :func:`escape_gfm_text` (job summaries)
Markdown files (agent files)  :func:`markdown_text`, link URLs :func:`markdown_link_url`
YAML double-quoted scalars    :func:`yaml_string` (generated ``mkdocs.yml``, ``catalog-info.yaml``)
TOML basic strings and keys   :func:`toml_string` (generated ``zensical.toml``)
pages built by TechDocs       :func:`techdocs_page_body` (a whole rendered page, on top of the above)
terminals and logs            :func:`terminal_text` (:class:`TerminalTextFilter` for loggers)
============================  ==========================================

Regular-expression replacements take contributor text only through a function
(``pattern.sub(lambda m: text, …)``), never as a template, where ``\\1`` or
``\\q`` would be read as group references or escapes; a project test checks the
source for templates built from values.
"""

from __future__ import annotations

import html
import json
import logging
import re
from typing import Any

from markupsafe import Markup, escape

__all__ = [
    "TerminalTextFilter",
    "dot_string",
    "escape_gfm_text",
    "front_matter",
    "html_text",
    "json_attribute",
    "markdown_inline",
    "markdown_link_url",
    "markdown_text",
    "mermaid_id",
    "mermaid_label",
    "mxgraph_attribute",
    "nav_title",
    "strict_json",
    "techdocs_page_body",
    "terminal_text",
    "text_data_url",
    "toml_string",
    "xml_text",
    "yaml_string",
]


def html_text(value: str) -> Markup:
    """Text or an attribute value in HTML: ``& < > " '`` become entities."""
    return escape(value)


#: Characters Python-Markdown (and its tables extension) reads as syntax and
#: lets a backslash turn into literal text.
_MARKDOWN_SPECIALS = "\\`*_[]()#!|{}"


def markdown_inline(value: str) -> Markup:
    """Text placed where Markdown is parsed (a heading): HTML-escaped, and the
    characters that would make links, emphasis, code or attribute lists
    backslash-escaped, so the text stays literal."""
    escaped = str(escape(value))
    return Markup("".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in escaped))


#: Characters a terminal (or a CI log viewer) reads as anything but text: C0 and C1
#: controls (ESC starts colour, cursor and title sequences; BEL; CR rewrites the line),
#: DEL, line and paragraph separators, and the invisible and direction-changing
#: format characters that make shown text differ from what it says. Tab stays.
_NOT_TERMINAL_TEXT = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def terminal_text(value: str, *, keep_newlines: bool = False) -> str:
    """Text printed to a terminal or written to a log: every control, separator and
    invisible or direction-changing character becomes ``?``, so a value can neither
    send escape sequences nor hide or reorder what is shown. With ``keep_newlines``,
    ``\\n`` stays (a message of several lines); a carriage return never does."""
    if keep_newlines:
        return "\n".join(_NOT_TERMINAL_TEXT.sub("?", line) for line in value.split("\n"))
    return _NOT_TERMINAL_TEXT.sub("?", value)


class TerminalTextFilter(logging.Filter):
    """A logging filter that passes every record's message through :func:`terminal_text`
    (newlines kept), for loggers whose messages quote contributor text."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = terminal_text(record.getMessage(), keep_newlines=True)
        record.args = None
        return True


#: Characters that make Markdown structure out of plain text: links and images (``[``,
#: ``]``, and ``!`` before them), raw HTML and autolinks (``<``, ``>``), code spans, and
#: the backslash itself. Emphasis characters stay: at worst they make text bold.
_MARKDOWN_STRUCTURE = "\\`[]<>!"


def markdown_text(value: str) -> str:
    """Plain text shown literally in a Markdown file (``llms.txt``, a pattern's ``.md``
    twin), link text included: the characters that would make a link, an image, raw
    HTML or a code span are backslash-escaped, and line breaks (which could start a
    heading, a list item or a link definition) become spaces. ``Name](https://elsewhere)``
    as a title stays the title of the link around it."""
    flat = " ".join(value.split())
    return "".join("\\" + c if c in _MARKDOWN_STRUCTURE else c for c in flat)


def markdown_link_url(url: str) -> str:
    """A URL as the destination of a Markdown inline link ``[…](url)``: white space,
    parentheses, angle brackets and backslashes are percent-encoded, so the URL
    cannot end the link early or add a title."""
    return "".join(f"%{ord(c):02X}" if c in " ()<>\\\"'" or ord(c) < 32 or c.isspace() else c for c in url)


#: Characters a YAML double-quoted scalar cannot hold literally, or that a reader
#: would read as a line break (NEL, LS, PS) or refuse (C0/C1 controls, surrogates).
_NOT_YAML_TEXT = re.compile("[\\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def yaml_string(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (a generated ``mkdocs.yml``): quotes and
    backslashes escaped, controls and line separators as ``\\x``/``\\u`` escapes, so the
    value reads back exactly and can start no tag, anchor, comment or new key."""
    def escaped(match: re.Match[str]) -> str:
        character = match.group()
        if character in "\\\"":
            return "\\" + character
        code = ord(character)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return '"' + _NOT_YAML_TEXT.sub(escaped, value) + '"'


#: Characters a TOML basic string cannot hold literally (the quote, the backslash, controls
#: but tab), plus the ones that read as line breaks or vanish in an editor (C1 controls, LS,
#: PS, BOM): all written as escapes. Lone surrogates are no Unicode scalar value at all.
_NOT_TOML_TEXT = re.compile("[\\\\\"\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
_TOML_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (a value, or a quoted key, of a generated
    ``zensical.toml``): quotes and backslashes escaped; controls (tab aside), line and
    paragraph separators and the BOM written as escapes, so the value reads back exactly
    and can neither end the string nor start a new key or table. A lone surrogate,
    which no TOML file can hold, becomes U+FFFD."""
    def escaped(match: re.Match[str]) -> str:
        character = match.group()
        if character in _TOML_SHORT_ESCAPES:
            return _TOML_SHORT_ESCAPES[character]
        code = ord(character)
        return "\\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"
    return '"' + _NOT_TOML_TEXT.sub(escaped, value) + '"'


def nav_title(value: str) -> str:
    """A title in MkDocs ``nav``. Themes print navigation titles without
    escaping them (Material does), so the title arrives HTML-escaped."""
    return html.escape(value, quote=True)


def front_matter(values: dict[str, Any]) -> str:
    """YAML front matter that cannot carry markup.

    JSON is valid YAML and quotes every string, so no text can become a YAML
    tag, and every character beyond ASCII is a ``\\u`` escape, so none can be one
    a YAML reader refuses. Strings are HTML-escaped too: MkDocs themes print ``page.title``
    (into ``<title>`` and headers) and ``page.meta.description`` without
    escaping them; a page with a ``title`` here never falls back to a title
    taken from its first heading, which Material unescapes through ``striptags``.
    """

    def safe(value: Any) -> Any:
        if isinstance(value, str):
            return html.escape(value, quote=True)
        if isinstance(value, list):
            return [safe(item) for item in value]
        return value

    lines = [f"{key}: {json.dumps(safe(value), ensure_ascii=True, allow_nan=False)}" for key, value in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


#: Characters XML 1.0 does not allow at all (controls, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def dot_string(value: str) -> str:
    """The *content* of a quoted DOT string that shows ``value`` literally.

    A backslash would start a Graphviz escape (``\\N``, ``\\G``, ``\\l``), and
    ``&`` an entity that Graphviz copies into its SVG as is (``&#0;`` is not
    well-formed XML), so both are escaped; characters XML cannot hold become
    U+FFFD, since Graphviz copies them into the SVG. Quotes are left to the ``graphviz``
    package's quoting, which escapes every unescaped ``"``; callers mark the
    result with ``graphviz.nohtml`` so it is always quoted, never read as an
    HTML-like label.
    """
    return _NOT_XML.sub("\ufffd", value.replace("\\", "\\\\").replace("&", "&amp;"))


def xml_text(value: str) -> str:
    """Text or an attribute value in SVG/XML: markup characters as entities,
    characters XML cannot hold replaced by U+FFFD."""
    escaped = html.escape(value, quote=True)
    return _NOT_XML.sub("\ufffd", escaped)


def mxgraph_attribute(value: str) -> str:
    """A double-quoted attribute value in a draw.io (mxGraph) file that reads back as ``value``.

    Markup characters become entities, and so do line breaks and tabs (an XML
    parser turns a literal one inside an attribute into a space). Patternbook
    writes every label cell with ``html=0``, so draw.io shows the value as text:
    a ``<b>`` in a label stays four characters, never markup.
    """
    escaped = html.escape(_NOT_XML.sub("\ufffd", value), quote=True)
    return escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


#: Punctuation left as is inside a quoted Mermaid label; everything else that is not a
#: letter, digit or space becomes an entity code. Not ``:`` and not ``#``: Mermaid's
#: pre-processing rewrites ``style…:…#…;`` and ``#word;`` wherever they stand, quotes or not;
#: not ``%``, ``{`` or ``}``: directives (``%%{init: …}%%``) are found anywhere in the text.
_MERMAID_PLAIN = frozenset(" .,-_/()'?!+=")


def mermaid_label(value: str) -> str:
    """The inside of a double-quoted Mermaid label (``n1["…"]``, ``-->|"…"|``) showing ``value`` literally.

    Mermaid reads ``#quot;`` and ``#35;`` (a decimal code point) as entity codes and
    shows the character; every character that is not a letter, a digit, a space or
    harmless punctuation is written that way, so no quote ends the string, no ``]``
    or ``|`` ends the label, no ``%%`` starts a comment or directive, and no
    ``<`` reaches the HTML Mermaid draws. Line breaks become ``#10;`` (white space
    in the drawing); characters XML cannot hold become U+FFFD.
    """
    named = {'"': "#quot;", "&": "#amp;", "<": "#lt;", ">": "#gt;"}
    return "".join(
        character if character.isalnum() or character in _MERMAID_PLAIN
        else named.get(character) or f"#{ord(character)};"
        for character in _NOT_XML.sub("\ufffd", value)
    )


def mermaid_id(value: str, prefix: str) -> str:
    """A Mermaid node or subgraph id for ``value``, different for every different ``value``.

    Mermaid ids are letters, digits and ``_`` (a ``-`` may be read as part of an
    arrow), and a bare ``end`` or ``click`` is a keyword, so each id starts with
    ``prefix`` and ``_``, ASCII letters and digits stay, ``_`` is doubled and any
    other character becomes ``_<hex code point>_``. That is decodable (after a
    ``_`` comes either ``_`` or a hex escape), so no two values share an id:
    ``a-b``, ``a_b`` and ``a_b_3`` stay three boxes. Mapping ``-`` to ``_`` and
    numbering collisions, as before, gave ``a-b`` the id of a later ``a_b_2``.
    ``prefix`` must be letters and digits; different prefixes never collide.
    """
    if not prefix.isascii() or not prefix.isalnum():
        raise ValueError(f"Mermaid id prefix {prefix!r} must be ASCII letters and digits")
    encoded = "".join(
        character if character.isascii() and character.isalnum()
        else "__" if character == "_" else f"_{ord(character):x}_"
        for character in value
    )
    return f"{prefix}_{encoded}"


def strict_json(document: Any, *, compact: bool = False) -> str:
    """JSON every strict parser accepts: ``NaN`` and ``Infinity`` are refused
    (:class:`ValueError`) rather than written. ``compact``: no indentation or spaces, for a
    large file read by programs (indentation was a fifth of ``catalogue.json``)."""
    if compact:
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False) + "\n"
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False, allow_nan=False) + "\n"


def json_attribute(document: Any) -> Markup:
    """Data for a page script, as the value of a quoted HTML attribute (``data-…="…"``):
    strict, single-line JSON, then HTML-escaped, so the browser's attribute value is the
    JSON text exactly and ``JSON.parse`` reads back the document. An attribute rather than
    an inline ``<script>``: nothing to hash into the Content-Security-Policy, and no
    ``</script>`` to guard against."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(html.escape(text, quote=True))


#: What a ``data:`` URL may hold as it is: letters, digits, ``-._~`` and the punctuation that has no
#: meaning inside its data (no ``%``, no ``#``, which would start a fragment, nothing HTML escapes).
_DATA_URL_SAFE = "-._~!$()*+,;=:@/?[]"


def text_data_url(text: str) -> str:
    """``text`` as a ``data:text/plain;charset=utf-8,`` URL: every other character
    percent-encoded as UTF-8, so a browser saves exactly ``text`` from a link with
    ``download``, and the URL holds no quote, ``<``, ``&`` or white space wherever it is
    written (HTML-escaping it changes nothing)."""
    from urllib.parse import quote

    return "data:text/plain;charset=utf-8," + quote(text, safe=_DATA_URL_SAFE)


#: ASCII punctuation. CommonMark turns a backslash before any of these into the character itself,
#: and GitHub-flavoured Markdown reads most as syntax somewhere: headings, lists, quotes, tables,
#: emphasis, strikethrough, links, code spans and fences, HTML, entities, autolinks (``https\:`` and
#: ``www\.`` no longer start one).
_GFM_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: Controls, invisible and direction-changing characters, noncharacters (what
#: ``schema.text.FORBIDDEN_CHARACTERS`` refuses in contributor text) and lone surrogates (an
#: undecodable file name); shown as U+FFFD so a reviewer sees that something is there.
_GFM_HIDDEN = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ud800-\udfff\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
#: After an ``@``, so GitHub links (and notifies) no one: its mention and e-mail
#: autolinks need a name character right after the ``@``.
_ZERO_WIDTH_JOINER = "\u200d"


def escape_gfm_text(value: object) -> str:
    """Contributor text inside one line of GitHub-flavoured Markdown (a job summary,
    a pull-request comment), shown exactly as written.

    Line breaks and runs of white space become one space, so the text never
    starts a line of its own (no heading, list, table, quote or fence); every
    ASCII punctuation character is backslash-escaped, so nothing becomes
    markup, HTML, an entity, a link or a code span even where the text stands
    at the start of a line; ``@`` is followed by a zero-width joiner, so no
    ``@name`` or ``@org/team`` is a live mention. Never place the result inside
    a code span (backslashes are literal there): contributor text is always
    escaped text.
    """
    text = _GFM_HIDDEN.sub("\ufffd", " ".join(str(value).split()))
    return "".join(
        "@" + _ZERO_WIDTH_JOINER if character == "@"
        else "\\" + character if character in _GFM_PUNCTUATION
        else character
        for character in text
    )


#: What starts a directive of a Markdown extension that Backstage's ``techdocs-core`` turns on
#: and that reads the page's raw text, inside HTML and code blocks too, before any HTML is
#: recognised: ``{%`` at a line start and fences of backticks or tildes (the ``graphviz`` block
#: of markdown-inline-graphviz runs ``dot`` and pastes its SVG unescaped), ``::uml::`` and
#: ```` ```uml ```` fences (plantuml-markdown runs or calls a PlantUML server, and ``source=``
#: reads a file). Snippets (``--8<--``) need a ``<``, which every escaping above already turns
#: into ``&lt;``; the inline extensions (emoji, magic links, critic marks) never read raw HTML.
_TECHDOCS_DIRECTIVE = re.compile(r"^\{|`{3,}|~{3,}|::uml::", re.MULTILINE)
_CHARACTER_REFERENCES = {"{": "&#123;", "`": "&#96;", "~": "&#126;", ":": "&#58;"}


def techdocs_page_body(body: str) -> str:
    """A rendered page's Markdown (after its front matter) for Backstage's TechDocs.

    Applied to the whole body on top of the per-value escaping, because techdocs-core's
    preprocessors read lines before Markdown knows which are HTML: the first character
    of each directive opener becomes its character reference, which HTML and Markdown
    both show as the character itself, so a contributor's text stays text. Patternbook's
    own templates write none of these sequences (a test checks)."""
    return _TECHDOCS_DIRECTIVE.sub(
        lambda match: _CHARACTER_REFERENCES[match.group()[0]] + match.group()[1:], body)
