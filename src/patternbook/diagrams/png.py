"""The PNG download of a diagram: its published SVG drawn by cairo, cheaply.

Everything is drawn in this process (no program starts). cairosvg drawing the SVG
as published cost about 60 ms of CPU a diagram, ten times its SVG, and a cold
100-pattern build spent most of its time there; what dominated was measured
(``benchmarks/bench_diagrams.py``, README "Benchmarks") and removed:

- **Drawing**: cairosvg is a general SVG renderer written in Python (style
  cascade, every attribute parsed through regular expressions, text placed
  letter by letter). The published SVG is Graphviz's, and
  :func:`~patternbook.diagrams.svg.check_svg_is_inert` lets only the dozen
  elements Graphviz writes through, so :func:`~.dot_svg_drawing.draw_dot_svg` draws those
  directly with cairocffi — same coordinates, same cairo, same fonts, each
  string in one call — in about a quarter of cairosvg's time. Anything else
  (another Graphviz's output) raises :class:`NotDotSvg` and cairosvg draws it.
- **Icons**: each is decoded and scaled once per process to the pixels it
  covers (cairo's ``GOOD`` filter, as cairosvg uses), not once per ``<use>``.
- **PNG encoding**: cairo's writer (libpng, 8-bit RGBA, zlib level 6, a filter
  chosen per row) is replaced by :func:`encode_png`: the picture is drawn on the
  white card it sits on in the page, so every pixel is opaque; Pillow turns
  cairo's pixels into a palette of at most 256 colours (:data:`PNG_COLOURS`) and
  zlib deflates the rows unfiltered at level 9. A diagram is mostly runs of one
  colour, which deflate finds without a filter: on 40 synthetic diagrams RGB rows
  took 8 ms a picture against Pillow's own PNG writer's 15–18 ms (it tries every
  filter on every row), 9 % smaller; the palette made the shipped catalogue's
  pictures 130 KB → 38 KB for about 6 ms more a diagram.

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

import re
import struct
import sys
import zlib
from io import BytesIO
from typing import Any

from patternbook.diagrams.dot_svg_drawing import NotDotSvg, draw_dot_svg, for_drawing
from patternbook.diagrams.icons import ICON_PROCESSING
from patternbook.diagrams.png_size import MAX_PNG_PIXELS, MAX_PNG_SIDE, PNG_DPI, SMALLEST_PNG_PIXELS, fitted_scale
from patternbook.errors import UsageError

__all__ = ["CAIRO_HINT", "DRAWIO_PNG_KEYWORD", "MAX_PNG_PIXELS", "MAX_PNG_SIDE", "PNG_COLOURS", "PNG_DPI",
           "CairoNotFound", "NotDotSvg", "draw_dot_svg", "drawio_source_of_png", "encode_png", "fitted_scale",
           "png_document", "png_renderer", "with_drawio_source"]

_ZLIB_LEVEL = 9
#: The most colours of a PNG download (its palette).
PNG_COLOURS = 256
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
            f"zlib {zlib.ZLIB_RUNTIME_VERSION} level {_ZLIB_LEVEL} unfiltered, {PNG_COLOURS}-colour octree palette, "
            f"{ICON_PROCESSING}")




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


_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
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
    surface = PNGSurface(Tree(bytestring=for_drawing(text, scale)), None, PNG_DPI, scale=scale,
                         background_color=_BACKGROUND)
    return surface.cairo


def encode_png(image: Any) -> bytes:
    """A cairo ARGB32 image surface as PNG bytes: 8-bit palette rows, unfiltered, deflated
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
    # A diagram holds few colours (flat fills, text, icons already in palettes: :mod:`.icons`):
    # one palette of at most 256 picked by the octree, without dithering, which keeps flat
    # fills flat, makes the picture a third of its RGB size (130 KB to 38 KB on the shipped
    # catalogue) for about 10 ms a diagram.
    rgb = picture.convert("RGB")
    indexed = rgb.quantize(PNG_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    used = indexed.getextrema()[1] + 1
    palette = bytes(_exact_dominant_colours(rgb, indexed.getpalette()[:3 * used]))
    pixels = memoryview(indexed.tobytes())
    compressor = zlib.compressobj(_ZLIB_LEVEL)
    # Filter type 0 (None) before each row; the rows are fed as they lie, never joined.
    deflated = [part for start in range(0, len(pixels), width)
                for part in (compressor.compress(b"\0"), compressor.compress(pixels[start:start + width]))]
    deflated.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit palette, deflate, no interlace
    return b"".join((_PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                     _chunk(b"IDAT", b"".join(deflated)), _chunk(b"IEND", b"")))


#: How many of a picture's most common colours are kept exactly, and how far (per channel) the
#: octree may have moved one for it to be put back.
_DOMINANT_COLOURS, _DOMINANT_DRIFT = 16, 3


def _exact_dominant_colours(picture: Any, palette: list[int]) -> list[int]:
    """``palette`` (of the RGB ``picture``) with its large flat colours put back exactly: the octree gives each
    palette entry the average of its bucket, so the white card came out (254, 254, 254) and each
    cluster fill a level off. The most common colours of a sparse sample (every 8th pixel each
    way: flat areas are most of it) replace the entry nearest to them when it is within
    :data:`_DOMINANT_DRIFT` levels; other pixels of that entry move as little."""
    from PIL import Image

    sample = picture.resize((max(1, picture.width // 8), max(1, picture.height // 8)), Image.Resampling.NEAREST)
    colours = sorted(sample.getcolors(sample.width * sample.height) or [], reverse=True)[:_DOMINANT_COLOURS]
    entries = [tuple(palette[i:i + 3]) for i in range(0, len(palette), 3)]
    claimed: set[int] = set()
    for _, colour in colours:
        drift, index = min((max(abs(a - b) for a, b in zip(entry, colour, strict=True)), index)
                           for index, entry in enumerate(entries))
        if drift <= _DOMINANT_DRIFT and index not in claimed:
            claimed.add(index)
            entries[index] = colour
    return [channel for entry in entries for channel in entry]


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


#: The keyword of the PNG text chunk draw.io reads a diagram from: its own PNG export writes
#: ``Editor.writeGraphModelToPng(data, 'tEXt', 'mxfile', encodeURIComponent(xml))`` before the
#: first ``IDAT``, and ``extractGraphModelFromPng`` stops looking at the first ``IDAT``.
DRAWIO_PNG_KEYWORD = b"mxfile"


#: Characters the draw.io text chunk carries unencoded: printable ASCII except ``%``.
_TEXT_KEPT = "".join(chr(code) for code in range(0x20, 0x7F) if chr(code) != "%")


def with_drawio_source(png: bytes, mxfile: bytes) -> bytes:
    """``png`` carrying the draw.io file ``mxfile`` the way draw.io's own PNG export does,
    so one download is both the picture and its editable source: a ``tEXt`` chunk
    ``mxfile`` holding the URI-encoded XML (ASCII, as a ``tEXt`` chunk must be), right
    after ``IHDR``. Viewers ignore an unknown text chunk; draw.io opens the diagram.

    draw.io decodes the text with ``decodeURIComponent`` when it starts with ``%``, and that
    decodes ``%XX`` sequences only: so the first character, ``%`` itself and whatever is not
    printable ASCII are encoded, everything else stays as it is (a fifth of the file smaller
    than ``encodeURIComponent``'s output, which draw.io writes, and decoded the same)."""
    from urllib.parse import quote

    if not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG that starts with its IHDR chunk")
    header_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    xml = mxfile.decode("utf-8")
    text = (quote(xml[:1], safe="") + quote(xml[1:], safe=_TEXT_KEPT)).encode("ascii")
    return png[:header_end] + _chunk(b"tEXt", DRAWIO_PNG_KEYWORD + b"\0" + text) + png[header_end:]


def drawio_source_of_png(png: bytes) -> str | None:
    """The draw.io XML a PNG carries (what :func:`with_drawio_source` wrote), read as draw.io
    does: text chunks before the first ``IDAT``; None when there is none."""
    from urllib.parse import unquote

    position = 8
    while position + 8 <= len(png):
        length = struct.unpack(">I", png[position:position + 4])[0]
        kind = png[position + 4:position + 8]
        if kind == b"IDAT":
            return None
        data = png[position + 8:position + 8 + length]
        if kind == b"tEXt" and data.startswith(DRAWIO_PNG_KEYWORD + b"\0"):
            return unquote(data[len(DRAWIO_PNG_KEYWORD) + 1:].decode("latin-1"))
        position += 12 + length
    return None
