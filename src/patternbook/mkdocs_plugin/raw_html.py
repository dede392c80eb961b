"""Generated pages' HTML blocks set aside while Python-Markdown converts the rest.

A generated page is a few Markdown headings between large blocks of HTML that
Patternbook already rendered (and escaped). Python-Markdown passes such a block
through unchanged, but only after parsing it twice with :mod:`html.parser` (its
raw-HTML preprocessor, then MkDocs' own to collect anchor ids) — most of the
time of a cold build at 1,000 patterns. So, before conversion, each top-level
block that Python-Markdown would pass through verbatim is replaced by a one-line
placeholder block and put back into the converted HTML afterwards; the headings
(and with them the table of contents and permalinks) still go through Markdown.

Only blocks whose fate is certain are set aside: a block-level element starting
a line after a blank line (or at the start), balanced up to a closing tag that
ends its line, followed by a blank line or the end; no comment, CDATA, raw-text
element holding ``<``, ``markdown`` attribute, tab, carriage return or
whitespace-only line (Python-Markdown rewrites the last three). Anything else
stays in the Markdown. ``tests/mkdocs_plugin/test_raw_html.py`` converts every
generated page of the shipped and a synthetic catalogue both ways and compares.
"""

from __future__ import annotations

import html
import re

__all__ = ["RawHtmlBlocks", "sets_aside_safely"]

#: Markdown extensions known to leave a raw HTML block alone (they work on Markdown blocks,
#: the element tree, or placeholders of their own). With any other, a preprocessor or
#: postprocessor might rewrite text inside a block, so nothing is set aside.
_EXTENSIONS_THAT_LEAVE_RAW_HTML = frozenset({
    "toc", "tables", "fenced_code", "attr_list", "admonition", "def_list", "footnotes", "abbr", "sane_lists",
    "markdown.extensions.toc", "markdown.extensions.tables", "markdown.extensions.fenced_code",
    "markdown.extensions.attr_list", "markdown.extensions.admonition", "markdown.extensions.def_list",
    "markdown.extensions.footnotes", "markdown.extensions.abbr", "markdown.extensions.sane_lists",
})


def sets_aside_safely(extensions: list[object]) -> bool:
    """Whether every configured Markdown extension is one known to pass raw HTML through."""
    return all(isinstance(name, str) and name in _EXTENSIONS_THAT_LEAVE_RAW_HTML for name in extensions)

#: Python-Markdown's block-level elements (markdown.util.BLOCK_LEVEL_ELEMENTS) less those
#: whose content is raw text or is rewritten (pre, script, style, textarea).
_BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|fieldset|figcaption|figure|footer|form|h[1-6]|header|"
    "hgroup|main|menu|nav|ol|p|section|table|ul|canvas|colgroup|dd|dt|group|iframe|li|legend|math|map|"
    "noscript|output|object|option|progress|summary|tbody|td|tfoot|th|thead|tr|video|center"
)
#: A block starts after a blank line (the text is searched with one prepended, so the start counts).
_START = re.compile(rf"\n\n<({_BLOCK_TAGS})(?=[\s>])")
_UNSAFE_TEXT = ("<!--", "<![", "<?", "\t", "\r", "\x02", "\x03")
_RAW_TEXT_TAGS = ("pre", "textarea", "listing", "xmp", "plaintext", "script", "style")
_UNSAFE_TAG = re.compile(rf"<(?:{'|'.join(_RAW_TEXT_TAGS)})\b|\smarkdown\s*=")
_BLANK_WITH_SPACES = re.compile(r"\n[ ]+\n")


def _unsafe(block: str) -> bool:
    """Whether Python-Markdown might not pass ``block`` through verbatim (plain substring
    tests first: this runs on every block of every generated page)."""
    if any(text in block for text in _UNSAFE_TEXT):
        return True
    lowered = block.lower()
    suspect = "markdown" in lowered or any(f"<{tag}" in lowered for tag in _RAW_TEXT_TAGS)
    if suspect and _UNSAFE_TAG.search(lowered):
        return True
    return "\n " in block and _BLANK_WITH_SPACES.search(block) is not None
_ID = re.compile(r"""<([A-Za-z][^\s/>]*)([^>]*)>""")
_ID_ATTRIBUTE = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_PLACEHOLDER = '<div class="pb-raw-html" data-pb-raw="{}"></div>'
_PLACEHOLDER_FOUND = re.compile(r'<div class="pb-raw-html" data-pb-raw="(\d+)"></div>')


def _block_end(markdown: str, start: int, tag: str) -> int | None:
    """Where the balanced element opened at ``start`` ends (after its closing tag), if it
    ends a line followed by a blank line or the end of the text; else None."""
    tags = re.compile(rf"<(/?){tag}(?=[\s>/])[^>]*>", re.I)
    depth = 0
    for match in tags.finditer(markdown, start):
        if match.group(0).endswith("/>"):
            return None  # self-closed: html.parser and Python-Markdown disagree on what that means
        depth += -1 if match.group(1) else 1
        if depth == 0:
            end = match.end()
            rest = markdown[end:end + 2]
            return end if rest in ("\n\n", "\n", "") else None
    return None


class RawHtmlBlocks:
    """Set aside a page's verbatim HTML blocks (:meth:`set_aside`) and put them back (:meth:`restore`)."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def set_aside(self, markdown: str) -> str:
        if "\n```" in markdown or "\n~~~" in markdown or markdown.startswith(("```", "~~~")):
            return markdown  # a fence could hold what looks like a block
        text = "\n\n" + markdown  # positions below are in ``text``
        out: list[str] = []
        position = 2
        for match in _START.finditer(text):
            start = match.start() + 2
            if start < position:
                continue
            end = _block_end(text, start, match.group(1))
            if end is None:
                continue
            block = text[start:end]
            if _unsafe(block):
                continue
            out.append(text[position:start])
            out.append(_PLACEHOLDER.format(len(self.blocks)))
            self.blocks.append(block)
            position = end
        if not self.blocks:
            return markdown
        out.append(text[position:])
        return "".join(out)

    def restore(self, converted: str) -> str:
        if not self.blocks:
            return converted
        return _PLACEHOLDER_FOUND.sub(lambda found: self.blocks[int(found.group(1))], converted)

    def anchor_ids(self) -> set[str]:
        """The ``id`` attributes (and ``<a name>``) of the set-aside blocks, as MkDocs collects
        them from raw HTML to check links to anchors."""
        found: set[str] = set()
        for block in self.blocks:
            for tag, attributes in _ID.findall(block):
                for name, double, single, bare in _ID_ATTRIBUTE.findall(attributes):
                    if name.lower() == "id" or tag.lower() == "a":
                        found.add(html.unescape(double or single or bare))
        return found
