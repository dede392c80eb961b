"""Turning ``dot``'s SVG into a file that can be published anywhere.

``dot`` points each icon at a file (``aws/compute/lambda.png``, relative to its
image path). Published as is, that breaks on any other machine, and the usual
``diagrams`` output even names the build machine's site-packages. Here every
icon is inlined as a PNG data URI (as large as it is drawn, in a palette:
:mod:`.icons`), element ids are made unique per diagram (so
several SVGs can share one HTML page), the XML prolog, doctype and comments
are dropped, and the accessible title is set. The result contains no path of
the build machine and no reference to any other host.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Collection
from xml.etree import ElementTree

from patternbook.diagrams.icons import published_icon
from patternbook.errors import PatternbookError
from patternbook.escaping import xml_text

__all__ = ["UnsafeSvg", "check_svg_is_inert", "make_self_contained"]

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ID = re.compile(r'\b(id|xlink:href)="(#?)((?:node|edge|clust|graph|a_node|a_edge|a_clust)\d+)"')
_TITLE = re.compile(r"<title>[^<]*</title>", re.S)
#: dot prefixes the graph's id with "page0,1_" for every graph after the first
#: in one process; the id is reset so output never depends on the batch.
_GRAPH_GROUP = re.compile(r'<g id="[^"]*" class="graph"')


def _icon_data_uri(relative: str, width: str, height: str) -> str:
    drawn = max(float(width.removesuffix("px")), float(height.removesuffix("px")))
    return "data:image/png;base64," + base64.b64encode(published_icon(relative, drawn)).decode("ascii")


def make_self_contained(svg: bytes, *, element_id: str, title: str, links: Collection[str] = ()) -> bytes:
    """Inline icons, namespace ids under ``element_id``, set the accessible title,
    and prove the result inert (:func:`check_svg_is_inert`) before anyone inlines it.

    Every substitution takes its replacement from a function: a title holding
    ``\\q`` or ``\\0`` would otherwise be read as a regular-expression escape.
    """
    text = svg.decode("utf-8")
    text = _PROLOG.sub("", text, count=1)
    text = _COMMENT.sub("", text)
    text = _GRAPH_GROUP.sub(lambda _: f'<g id="{element_id}" class="graph"', text, count=1)
    text = _ID.sub(lambda m: f'{m.group(1)}="{m.group(2)}{element_id}-{m.group(3)}"', text)
    title_id = f"{element_id}-title"
    text = _TITLE.sub(lambda _: f'<title id="{title_id}">{xml_text(title)}</title>', text, count=1)
    text = text.replace("<svg ", f'<svg aria-labelledby="{title_id}" ', 1)
    # Icons last: the data URIs make the text ten times longer for every pass after them.
    text = _share_icons(text, element_id)
    check_svg_is_inert(text, links)
    return text.strip().encode("utf-8") + b"\n"


class UnsafeSvg(PatternbookError):
    """A drawn SVG holds something that could act in a page; it is never published."""


_SVG = "{http://www.w3.org/2000/svg}"
#: What Graphviz's SVG renderer draws, plus the <defs>/<use> that share icons.
_INERT_ELEMENTS = frozenset(f"{_SVG}{name}" for name in (
    "svg", "g", "title", "a", "path", "polygon", "polyline", "ellipse", "text", "image", "defs", "use"))
_DATA_PNG = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+\Z")


def check_svg_is_inert(text: str, links: Collection[str] = ()) -> None:
    """Contributor text reaches these SVGs (labels, titles), and relation graphs
    are inlined into pages, so an SVG is untrusted until this passes: it must be
    well-formed XML, hold only drawing elements, no event-handler attribute, and
    link only to ``links`` (pattern pages), its own ``#ids`` or PNG data URIs."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise UnsafeSvg(f"drawn SVG is not well-formed XML: {error}") from None
    allowed = set(links)
    for element in root.iter():
        if element.tag not in _INERT_ELEMENTS:
            raise UnsafeSvg(f"drawn SVG holds a <{element.tag}> element")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on") or local == "style":
                raise UnsafeSvg(f"drawn SVG holds a {local} attribute")
            if local == "href" and not (value in allowed or value.startswith("#") or
                                        (element.tag == f"{_SVG}image" and _DATA_PNG.match(value))):
                raise UnsafeSvg(f"drawn SVG links to {value[:60]!r}")


_IMAGE = re.compile(r'<image xlink:href="([^"]+)" width="([^"]+)" height="([^"]+)" '
                    r'preserveAspectRatio="([^"]+)" x="([^"]+)" y="([^"]+)"/>')


def _share_icons(text: str, element_id: str) -> str:
    """Each distinct icon is embedded once, in ``<defs>``, and drawn with ``<use>``:
    a diagram with five Lambda functions carries one copy of the Lambda icon."""
    definitions: dict[tuple[str, str, str, str], str] = {}

    def use(match: re.Match[str]) -> str:
        icon, width, height, aspect, x, y = match.groups()
        shape = (icon, width, height, aspect)
        if shape not in definitions:
            definitions[shape] = f"{element_id}-icon{len(definitions) + 1}"
        return f'<use xlink:href="#{definitions[shape]}" x="{x}" y="{y}"/>'

    text = _IMAGE.sub(use, text)
    if not definitions:
        return text
    defs = "".join(
        f'<image id="{identifier}" xlink:href="{_icon_data_uri(icon, width, height)}" '
        f'width="{width}" height="{height}" '
        f'preserveAspectRatio="{aspect}"/>'
        for (icon, width, height, aspect), identifier in definitions.items())
    return re.sub(r"(<svg\b[^>]*>)", lambda m: f"{m.group(1)}\n<defs>{defs}</defs>", text, count=1)

