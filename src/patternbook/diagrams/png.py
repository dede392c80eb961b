"""The PNG download of a diagram: its published SVG drawn by cairo, cheaply.

Everything is drawn in this process (no program starts). cairosvg drawing the SVG
as published cost about 60 ms of CPU a diagram, ten times its SVG, and a cold
100-pattern build spent most of its time there; what dominated was measured
(``benchmarks/bench_diagrams.py``, README "Benchmarks") and removed:

- **Drawing**: cairosvg is a general SVG renderer written in Python (style
  cascade, every attribute parsed through regular expressions, text placed
  letter by letter). The published SVG is Graphviz's, and
  :func:`~patternbook.diagrams.svg.check_svg_is_inert` lets only the dozen
  elements Graphviz writes through, so :func:`draw_dot_svg` draws those
  directly with cairocffi — same coordinates, same cairo, same fonts, each
  string in one call — in about a quarter of cairosvg's time. Anything else
  (another Graphviz's output) raises :class:`NotDotSvg` and cairosvg draws it.
- **Icons**: each is decoded and scaled once per process to the pixels it
  covers (cairo's ``GOOD`` filter, as cairosvg uses), not once per ``<use>``.
- **PNG encoding**: cairo's writer (libpng, 8-bit RGBA, zlib level 6, a filter
  chosen per row) is replaced by :func:`encode_png`: the picture is drawn on the
  white card it sits on in the page, so every pixel is opaque; Pillow turns
  cairo's pixels into 8-bit RGB and zlib deflates the rows unfiltered at level
  3. A diagram is mostly runs of one colour, which deflate finds without a
  filter: on 40 synthetic diagrams this took 8 ms a picture against Pillow's own
  PNG writer's 15–18 ms (it tries every filter on every row), 9 % smaller.

Size: a picture is drawn at 96 dpi (what a browser shows at 100 %) unless that
is larger than :data:`MAX_PNG_SIDE` on a side or :data:`MAX_PNG_PIXELS` in all;
then it is drawn smaller, keeping its proportions (:func:`fitted_scale`). Cairo
refuses an image side over 32,767 pixels (``CAIRO_STATUS_INVALID_SIZE``), and the
largest diagram the schema allows is wider than that at 96 dpi; every picture is
also held uncompressed (4 bytes a pixel) by the worker that draws it. Should cairo
still refuse a picture, it is drawn again at a quarter of the pixels, down to
:data:`SMALLEST_PNG_PIXELS`: the download is smaller, the build goes on.

Bytes are deterministic: the same SVG, cairo, Pillow and zlib give the same
file; the cache key names those versions.
"""

from __future__ import annotations

import base64
import math
import re
import struct
import sys
import zlib
from functools import lru_cache
from io import BytesIO
from typing import Any

from patternbook.errors import UsageError

__all__ = ["CAIRO_HINT", "MAX_PNG_PIXELS", "MAX_PNG_SIDE", "PNG_DPI", "CairoNotFound", "encode_png", "fitted_scale",
           "png_document", "png_renderer"]

#: 96 px per 72 pt: the size a browser shows the SVG at 100 %.
PNG_DPI = 96
#: The longest side of a PNG download, in pixels: the most cairo's image surfaces accept.
MAX_PNG_SIDE = 32_767
#: The most pixels of a PNG download: 128 MB while drawn (ARGB32), about a 6,000-pixel square.
MAX_PNG_PIXELS = 1 << 25
#: Below this many pixels a picture cairo refuses is not drawn smaller again: the error is not its size.
SMALLEST_PNG_PIXELS = 1 << 16
_ZLIB_LEVEL = 3
_BACKGROUND = "#ffffff"


class CairoNotFound(UsageError):
    """cairosvg is installed but the cairo library it draws with is not."""


CAIRO_HINT = (
    "The cairo library was not found, and Patternbook needs it to draw the PNG download of each diagram: "
    "install it with 'sudo apt-get install libcairo2' on Debian/Ubuntu or 'brew install cairo' on macOS "
    "(Graphviz packages usually bring it), then run the build again."
)


def png_renderer() -> str:
    """What the PNG bytes depend on besides the SVG, for the cache key (no heavy import)."""
    from importlib import metadata

    # cairosvg draws only what draw_dot_svg refuses; RENDERER_VERSION covers draw_dot_svg itself.
    return (f"cairocffi {metadata.version('cairocffi')}, cairosvg {metadata.version('cairosvg')}, "
            f"Pillow {metadata.version('pillow')}, "
            f"zlib {zlib.ZLIB_RUNTIME_VERSION} level {_ZLIB_LEVEL} unfiltered")


_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"[^>]*?\sviewBox="[-\d.]+ [-\d.]+ ([\d.]+) ')
_ICON = re.compile(r'<image id="([^"]+)" xlink:href="(data:image/png;base64,[A-Za-z0-9+/=]+)" '
                   r'width="([\d.]+)px" height="([\d.]+)px" preserveAspectRatio="([^"]+)"/>')
_DEFS = re.compile(r"<defs>.*?</defs>", re.S)
_USE = re.compile(r'<use xlink:href="#([^"]+)" x="([^"]+)" y="([^"]+)"/>')
_TITLE = re.compile(r"<title\b[^>]*>[^<]*</title>")


def png_document(svg: bytes) -> bytes:
    """The self-contained SVG drawn by cairo on a white card, as PNG bytes, at most
    :data:`MAX_PNG_SIDE` by :data:`MAX_PNG_SIDE` and :data:`MAX_PNG_PIXELS` pixels.
    The SVG has been proven inert (:func:`~patternbook.diagrams.svg.check_svg_is_inert`):
    it refers to nothing but its own ids and PNG data URIs, so nothing is fetched."""
    try:
        import cairocffi
    except OSError:  # cairocffi could not load libcairo
        raise CairoNotFound(CAIRO_HINT) from None
    max_pixels = MAX_PNG_PIXELS
    while True:
        try:
            try:
                image = draw_dot_svg(svg, max_pixels)
            except NotDotSvg:
                image = _draw_with_cairosvg(svg, max_pixels)
        except (cairocffi.CairoError, MemoryError):
            # A size cairo or this machine cannot hold after all: the same picture, smaller.
            if max_pixels <= SMALLEST_PNG_PIXELS:
                raise
            max_pixels //= 4
            continue
        try:
            return encode_png(image)
        finally:
            image.finish()


def fitted_scale(width: float, height: float, max_pixels: int = MAX_PNG_PIXELS) -> float:
    """How much smaller than ``width`` × ``height`` pixels (its size at :data:`PNG_DPI`) a
    picture is drawn: 1 when it fits, else the largest scale at which its sides stay
    within :data:`MAX_PNG_SIDE` and its area within ``max_pixels``."""
    if width <= 0 or height <= 0:
        return 1.0
    scale = min(1.0, MAX_PNG_SIDE / width, MAX_PNG_SIDE / height, math.sqrt(max_pixels / (width * height)))
    # Rounding a side up must not take the picture over a limit again.
    while scale < 1.0 and (round(width * scale) > MAX_PNG_SIDE or round(height * scale) > MAX_PNG_SIDE
                           or round(width * scale) * round(height * scale) > max_pixels):
        scale *= 0.999
    return scale


_LENGTH = re.compile(r"\s*([\d.]+(?:[eE][-+]?\d+)?)\s*(px|pt|pc|in|cm|mm|)\s*\Z")
#: CSS pixels per unit of an SVG length.
_PIXELS_PER = {"": 1.0, "px": 1.0, "pt": PNG_DPI / 72, "pc": PNG_DPI / 6, "in": PNG_DPI,
               "cm": PNG_DPI / 2.54, "mm": PNG_DPI / 25.4}


def _pixel_size(text: str) -> tuple[float, float]:
    """An SVG's size in pixels at :data:`PNG_DPI`, as cairosvg will find it (its width
    and height, else its viewBox); (0, 0) when it states none (cairosvg then refuses it)."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return 0.0, 0.0
    box = _NUMBER.findall(root.get("viewBox", ""))
    sides = []
    for name, index in (("width", 2), ("height", 3)):
        length = _LENGTH.match(root.get(name, ""))
        if length:
            sides.append(float(length.group(1)) * _PIXELS_PER[length.group(2)])
        elif len(box) == 4:
            sides.append(abs(float(box[index])))
        else:
            sides.append(0.0)
    return sides[0], sides[1]


def _draw_with_cairosvg(svg: bytes, max_pixels: int = MAX_PNG_PIXELS) -> Any:
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface

    text = svg.decode("utf-8")
    scale = fitted_scale(*_pixel_size(text), max_pixels)
    surface = PNGSurface(Tree(bytestring=_for_drawing(text, scale)), None, PNG_DPI, scale=scale,
                         background_color=_BACKGROUND)
    return surface.cairo


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


def _for_drawing(text: str, scale: float = 1.0) -> str:
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


def encode_png(image: Any) -> bytes:
    """A cairo ARGB32 image surface as PNG bytes: 8-bit RGB rows, unfiltered, deflated
    when every pixel is opaque (a diagram on its white card); otherwise cairo's own
    writer, which un-premultiplies and keeps the alpha channel."""
    from PIL import Image  # cairosvg depends on Pillow; only a cold render gets here

    image.flush()
    width, height, stride = image.get_width(), image.get_height(), image.get_stride()
    # ARGB32 is native-endian 32-bit words: B, G, R, A bytes on little-endian machines.
    little = sys.byteorder == "little"
    picture = Image.frombuffer("RGBA", (width, height), image.get_data(), "raw", "BGRA" if little else "ARGB",
                               stride, 1)
    if picture.getchannel("A").getextrema() != (255, 255):
        written = BytesIO()
        image.write_to_png(written)
        return written.getvalue()
    pixels = memoryview(picture.tobytes("raw", "RGB"))
    row = width * 3
    compressor = zlib.compressobj(_ZLIB_LEVEL)
    # Filter type 0 (None) before each row; the rows are fed as they lie, never joined.
    deflated = [part for start in range(0, len(pixels), row)
                for part in (compressor.compress(b"\0"), compressor.compress(pixels[start:start + row]))]
    deflated.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, deflate, no interlace
    return b"".join((_PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"IDAT", b"".join(deflated)),
                     _chunk(b"IEND", b"")))


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
