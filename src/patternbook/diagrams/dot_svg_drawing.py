"""Graphviz's published SVG drawn directly with cairocffi: the fast half of the PNG download.

The published SVG holds only the dozen elements Graphviz writes
(:func:`~patternbook.diagrams.svg.check_svg_is_inert`), so those are drawn here
with the same coordinates, cairo and fonts cairosvg would use, in about a quarter
of its time; anything else raises :class:`NotDotSvg` and :mod:`.png` lets cairosvg
draw it. A test compares both drawers' pictures.
"""

from __future__ import annotations

import base64
import math
import re
from functools import lru_cache
from io import BytesIO
from typing import Any

from patternbook.diagrams.png_size import MAX_PNG_PIXELS, PNG_DPI, fitted_scale

__all__ = ["NotDotSvg", "draw_dot_svg", "for_drawing"]

_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"[^>]*?\sviewBox="[-\d.]+ [-\d.]+ ([\d.]+) ')
_ICON = re.compile(r'<image id="([^"]+)" xlink:href="(data:image/png;base64,[A-Za-z0-9+/=]+)" '
                   r'width="([\d.]+)px" height="([\d.]+)px" preserveAspectRatio="([^"]+)"/>')
_DEFS = re.compile(r"<defs>.*?</defs>", re.S)
_USE = re.compile(r'<use xlink:href="#([^"]+)" x="([^"]+)" y="([^"]+)"/>')
_TITLE = re.compile(r"<title\b[^>]*>[^<]*</title>")

class NotDotSvg(ValueError):
    """The SVG holds something Graphviz's SVG renderer does not write; cairosvg draws it."""


_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[MCLZmclz]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_GRAPH_TRANSFORM = re.compile(r"\s*scale\(([-\d.]+) ([-\d.]+)\) rotate\(([-\d.]+)\) "
                              r"translate\(([-\d.]+) ([-\d.]+)\)\s*\Z")
#: The colour names Graphviz writes instead of a hex value; any other name goes to cairosvg.
_NAMED_COLOURS = {"black": (0.0, 0.0, 0.0), "white": (1.0, 1.0, 1.0)}
_PIXELS_PER_POINT = PNG_DPI / 72


def draw_dot_svg(svg: bytes, max_pixels: int = MAX_PNG_PIXELS) -> Any:
    """Graphviz's SVG as published (:mod:`.svg`) drawn with cairo, as a cairo image surface.

    Only what Graphviz's SVG renderer writes is drawn here, and the published SVG holds
    nothing else (:func:`~patternbook.diagrams.svg.check_svg_is_inert` allows those elements
    alone): polygons, polylines, ellipses, paths of moves and cubic Béziers, text, images
    and ``<use>`` of shared icons, in groups whose only transform is the graph's. That
    is a small fraction of the SVG cairosvg understands, drawn in a fraction of its time
    (no style cascade, and text drawn a string at a time, not letter by letter);
    anything outside it raises :class:`NotDotSvg`. Same coordinates, same cairo and
    fonts: the picture is cairosvg's to within anti-aliasing (tested). A picture larger
    than :data:`MAX_PNG_SIDE` or ``max_pixels`` at :data:`PNG_DPI` is drawn smaller
    (:func:`fitted_scale`)."""
    from xml.etree import ElementTree

    import cairocffi as cairo

    root = ElementTree.fromstring(svg)
    try:
        width_pt = float(root.attrib["width"].removesuffix("pt"))
        height_pt = float(root.attrib["height"].removesuffix("pt"))
        box = [float(n) for n in root.attrib["viewBox"].split()]
    except (KeyError, ValueError):
        raise NotDotSvg("no size in points and viewBox") from None
    if not root.attrib["width"].endswith("pt") or len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise NotDotSvg("no size in points and viewBox")
    width, height = width_pt * _PIXELS_PER_POINT, height_pt * _PIXELS_PER_POINT
    fitted = fitted_scale(width, height, max_pixels)
    width, height = width * fitted, height * fitted
    image = cairo.ImageSurface(cairo.FORMAT_ARGB32, max(1, round(width)), max(1, round(height)))
    context = cairo.Context(image)
    context.set_source_rgb(1, 1, 1)
    context.paint()
    # The viewBox fitted into the viewport as SVG's default xMidYMid meet does.
    scale = min(width / box[2], height / box[3])
    context.translate((width / scale - box[2]) / 2 * scale - box[0] * scale,
                      (height / scale - box[3]) / 2 * scale - box[1] * scale)
    context.scale(scale, scale)
    context.set_miter_limit(4)  # SVG's default; cairo's is 10
    options = cairo.FontOptions()
    # Unrounded advances: letters sit where a browser puts them, not on whole pixels.
    options.set_hint_metrics(cairo.HINT_METRICS_OFF)
    context.set_font_options(options)
    icons = {element.get("id"): element for element in root.iter(f"{_SVG_NS}image") if element.get("id")}
    _draw_children(context, root, icons, scale)
    image.flush()
    return image


def _draw_children(context: Any, parent: Any, icons: dict, pixels_per_unit: float) -> None:
    for element in parent:
        tag = element.tag.removeprefix(_SVG_NS)
        if tag in ("title", "defs"):
            continue
        if tag in ("g", "a"):
            transform = element.get("transform")
            if transform is None:
                _draw_children(context, element, icons, pixels_per_unit)
                continue
            found = _GRAPH_TRANSFORM.match(transform)
            if not found:
                raise NotDotSvg(f"transform {transform!r}")
            sx, sy, angle, tx, ty = (float(n) for n in found.groups())
            context.save()
            context.scale(sx, sy)
            context.rotate(math.radians(angle))
            context.translate(tx, ty)
            _draw_children(context, element, icons, pixels_per_unit * sx)
            context.restore()
        elif tag == "polygon" or tag == "polyline":
            points = [float(n) for n in _NUMBER.findall(element.get("points", ""))]
            if len(points) < 4 or len(points) % 2:
                raise NotDotSvg("points")
            context.move_to(points[0], points[1])
            for index in range(2, len(points), 2):
                context.line_to(points[index], points[index + 1])
            if tag == "polygon":
                context.close_path()
            _paint(context, element)
        elif tag == "path":
            _trace_path(context, element.get("d", ""))
            _paint(context, element)
        elif tag == "ellipse":
            cx, cy, rx, ry = (float(element.get(name, "0")) for name in ("cx", "cy", "rx", "ry"))
            if rx > 0 and ry > 0:
                context.save()
                context.translate(cx, cy)
                context.scale(rx, ry)
                context.arc(0, 0, 1, 0, 2 * math.pi)
                context.restore()
                _paint(context, element)
        elif tag == "text":
            _draw_text(context, element)
        elif tag == "image":
            if element.get("id") is None:
                _draw_icon(context, element, element.get("x"), element.get("y"), pixels_per_unit)
        elif tag == "use":
            target = icons.get(element.get(_XLINK_HREF, "").removeprefix("#"))
            if target is None:
                raise NotDotSvg("<use> of something other than an icon")
            _draw_icon(context, target, element.get("x"), element.get("y"), pixels_per_unit)
        else:
            raise NotDotSvg(f"<{tag}>")


def _trace_path(context: Any, data: str) -> None:
    tokens = _PATH_TOKEN.findall(data)
    command, numbers = None, []

    def flush() -> None:
        if command == "M" and len(numbers) >= 2:
            context.move_to(numbers[0], numbers[1])
            rest = numbers[2:]
            for index in range(0, len(rest) - 1, 2):  # further pairs after M are lines
                context.line_to(rest[index], rest[index + 1])
        elif command == "L":
            for index in range(0, len(numbers) - 1, 2):
                context.line_to(numbers[index], numbers[index + 1])
        elif command == "C":
            if len(numbers) % 6:
                raise NotDotSvg("a Bézier without three points")
            for index in range(0, len(numbers), 6):
                context.curve_to(*numbers[index:index + 6])
        elif command == "Z":
            context.close_path()
        elif command is not None or numbers:
            raise NotDotSvg(f"path command {command!r}")

    for token in tokens:
        if token in "MCLZ":
            flush()
            command, numbers = token, []
        elif token in "mclz":
            raise NotDotSvg("relative path commands")
        else:
            numbers.append(float(token))
    flush()


def _colour(value: str | None, opacity: str | None) -> tuple[float, float, float, float] | None:
    if value is None or value in ("none", "transparent"):
        return None
    if len(value) == 7 and value[0] == "#":
        try:
            rgb = tuple(int(value[index:index + 2], 16) / 255 for index in (1, 3, 5))
        except ValueError:
            raise NotDotSvg(f"colour {value!r}") from None
    elif value in _NAMED_COLOURS:
        rgb = _NAMED_COLOURS[value]
    else:
        raise NotDotSvg(f"colour {value!r}")
    return (*rgb, float(opacity) if opacity is not None else 1.0)


def _paint(context: Any, element: Any) -> None:
    """Fill, then stroke, the current path as the element asks (SVG's defaults: black fill, no stroke)."""
    fill = _colour(element.get("fill", "black"), element.get("fill-opacity"))
    stroke = _colour(element.get("stroke"), element.get("stroke-opacity"))
    if fill is not None:
        context.set_source_rgba(*fill)
        if stroke is not None:
            context.fill_preserve()
        else:
            context.fill()
    if stroke is not None:
        context.set_source_rgba(*stroke)
        context.set_line_width(float(element.get("stroke-width", "1")))
        dashes = element.get("stroke-dasharray")
        context.set_dash([float(n) for n in _NUMBER.findall(dashes)] if dashes and dashes != "none" else [])
        context.stroke()
    context.new_path()


def _draw_text(context: Any, element: Any) -> None:
    import cairocffi as cairo

    text = element.text or ""
    if len(element) or not text:
        if len(element):
            raise NotDotSvg("<text> with children")
        return
    fill = _colour(element.get("fill", "black"), element.get("fill-opacity"))
    if fill is None:
        return
    family = (element.get("font-family") or "sans-serif").split(",")[0].strip("\"' ")
    weight = element.get("font-weight", "normal")
    bold = weight == "bold" or (weight.isdigit() and int(weight) >= 550)
    slant = {"italic": cairo.FONT_SLANT_ITALIC, "oblique": cairo.FONT_SLANT_OBLIQUE}.get(
        element.get("font-style", "normal"), cairo.FONT_SLANT_NORMAL)
    context.select_font_face(family, slant, cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL)
    context.set_font_size(float(element.get("font-size", "12")))
    x, y = float(element.get("x", "0")), float(element.get("y", "0"))
    anchor = element.get("text-anchor", "start")
    if anchor in ("middle", "end"):
        x_bearing, _, width, *_ = context.text_extents(text)
        x -= (width / 2 + x_bearing) if anchor == "middle" else (width + x_bearing)
    context.set_source_rgba(*fill)
    context.move_to(x, y)
    context.show_text(text)
    context.new_path()


def _draw_icon(context: Any, definition: Any, x: str | None, y: str | None, pixels_per_unit: float) -> None:
    """An icon at its size in the SVG, fitted as ``preserveAspectRatio`` asks (Graphviz
    writes ``xMinYMin meet``, or ``xMidYMid meet`` when centring)."""
    import cairocffi as cairo

    address = definition.get(_XLINK_HREF, "")
    if not address.startswith("data:image/png;base64,"):
        raise NotDotSvg("an image that is not an embedded PNG")
    try:
        width = float(definition.get("width", "").removesuffix("px"))
        height = float(definition.get("height", "").removesuffix("px"))
        left, top = float(x or 0), float(y or 0)
    except ValueError:
        raise NotDotSvg("image size") from None
    aspect = (definition.get("preserveAspectRatio") or "xMidYMid meet").split()
    if aspect[0] not in ("xMinYMin", "xMidYMid") or aspect[1:] not in ([], ["meet"]):
        raise NotDotSvg(f"preserveAspectRatio {aspect}")
    pixels = math.ceil(max(width, height) * pixels_per_unit)
    icon, icon_width, icon_height = _icon_surface(address, pixels)
    ratio = min(width / icon_width, height / icon_height)
    if aspect[0] == "xMidYMid":
        left += (width - icon_width * ratio) / 2
        top += (height - icon_height * ratio) / 2
    context.save()
    context.rectangle(left, top, width, height)
    context.clip()
    context.translate(left, top)
    context.scale(ratio, ratio)
    context.set_source_surface(icon)
    context.get_source().set_filter(cairo.FILTER_GOOD)
    context.paint()
    context.restore()


@lru_cache(maxsize=256)
def _icon_surface(address: str, pixels: int) -> tuple[Any, int, int]:
    """The icon of a PNG data URI decoded once and scaled once to the pixels it covers
    (its longer side), as a cairo surface with its size."""
    import cairocffi as cairo

    source = cairo.ImageSurface.create_from_png(BytesIO(base64.b64decode(address.split(",", 1)[1])))
    longer = max(source.get_width(), source.get_height())
    if longer <= pixels:
        return source, source.get_width(), source.get_height()
    ratio = pixels / longer
    target = cairo.ImageSurface(cairo.FORMAT_ARGB32, max(1, round(source.get_width() * ratio)),
                                max(1, round(source.get_height() * ratio)))
    context = cairo.Context(target)
    context.scale(ratio, ratio)
    context.set_source_surface(source)
    context.get_source().set_filter(cairo.FILTER_GOOD)
    context.paint()
    target.flush()
    return target, target.get_width(), target.get_height()


def for_drawing(text: str, scale: float = 1.0) -> str:
    """The SVG as cairosvg draws it fastest, showing the same: each icon scaled
    to its size in pixels (drawn ``scale`` times its size at :data:`PNG_DPI`)
    and drawn where its ``<use>`` was; no titles."""
    size = _SVG_SIZE.search(text)
    pixels_per_unit = float(size.group(1)) * PNG_DPI / 72 / float(size.group(2)) * scale if size else scale
    icons = {}
    for identifier, address, width, height, aspect in _ICON.findall(text):
        pixels = math.ceil(max(float(width), float(height)) * pixels_per_unit)
        icons[identifier] = (f'xlink:href="{_scaled_icon(address, pixels)}" width="{width}px" height="{height}px" '
                             f'preserveAspectRatio="{aspect}"')
    if not icons or len(icons) != text.count("<image "):
        return _TITLE.sub("", text)  # not the shape svg.py writes: drawn as published, only slower
    text = _DEFS.sub("", text, count=1)
    text = _USE.sub(lambda use: f'<image {icons[use.group(1)]} x="{use.group(2)}" y="{use.group(3)}"/>', text)
    return _TITLE.sub("", text)


@lru_cache(maxsize=256)
def _scaled_icon(address: str, pixels: int) -> str:
    """The icon of a PNG data URI scaled so its longer side is ``pixels``, as a data URI
    (for cairosvg, which decodes every image it meets)."""
    icon, width, height = _icon_surface(address, pixels)
    if max(width, height) < pixels:
        return address  # small already: drawn as given
    written = BytesIO()
    icon.write_to_png(written)
    return "data:image/png;base64," + base64.b64encode(written.getvalue()).decode("ascii")
