"""The PNG download of a diagram: its published SVG drawn by cairo, cheaply.

cairosvg draws the SVG in this process (no program starts). Drawn as published,
a diagram cost about 60 ms of CPU, ten times its SVG; what dominated was
measured (``benchmarks/bench_diagrams.py``, README "Benchmarks") and removed:

- **PNG encoding** (half of it): cairo's writer (libpng, 8-bit RGBA, zlib
  level 6) is replaced by :func:`encode_png`: the picture is drawn on the white
  card it sits on in the page, so every pixel is opaque, and Pillow's encoder
  writes it as 8-bit RGB at zlib level 3 — several times cheaper than cairo's
  writer and cheaper than writing unfiltered rows by hand, at a similar size.
- **Icons** (a quarter): every ``<use>`` made cairosvg search the whole document
  for its target and decode and downscale a 256–300 px icon again. Here each
  icon is scaled once per process to the pixels it covers (cairo's ``GOOD``
  filter, as cairosvg uses) and drawn in place of the ``<use>``; titles, which
  draw nothing, are dropped before cairosvg reads the SVG.

What remains is cairosvg walking the SVG in Python (text is placed letter by
letter) and zlib. Bytes are deterministic: the same SVG, cairosvg, cairo, Pillow
and zlib give the same file; the cache key names those versions.
"""

from __future__ import annotations

import base64
import math
import re
import sys
from functools import lru_cache
from io import BytesIO
from typing import Any

from patternbook.errors import UsageError

__all__ = ["CAIRO_HINT", "PNG_DPI", "CairoNotFound", "encode_png", "png_document", "png_renderer"]

#: 96 px per 72 pt: the size a browser shows the SVG at 100 %.
PNG_DPI = 96
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

    # Pillow's wheels carry their own zlib, so its version stands for the encoder's.
    return f"cairosvg {metadata.version('cairosvg')}, Pillow {metadata.version('pillow')}, zlib level {_ZLIB_LEVEL}"


_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"[^>]*?\sviewBox="[-\d.]+ [-\d.]+ ([\d.]+) ')
_ICON = re.compile(r'<image id="([^"]+)" xlink:href="(data:image/png;base64,[A-Za-z0-9+/=]+)" '
                   r'width="([\d.]+)px" height="([\d.]+)px" preserveAspectRatio="([^"]+)"/>')
_DEFS = re.compile(r"<defs>.*?</defs>", re.S)
_USE = re.compile(r'<use xlink:href="#([^"]+)" x="([^"]+)" y="([^"]+)"/>')
_TITLE = re.compile(r"<title\b[^>]*>[^<]*</title>")


def png_document(svg: bytes) -> bytes:
    """The self-contained SVG drawn by cairo on a white card, as PNG bytes.
    The SVG has been proven inert (:func:`~patternbook.diagrams.svg.check_svg_is_inert`):
    it refers to nothing but its own ids and PNG data URIs, so cairosvg fetches nothing."""
    try:
        import cairosvg  # noqa: F401  heavy, only a cold render needs it; importing it loads libcairo
        from cairosvg.parser import Tree
        from cairosvg.surface import PNGSurface
    except OSError:  # cairocffi could not load libcairo
        raise CairoNotFound(CAIRO_HINT) from None

    surface = PNGSurface(Tree(bytestring=_for_drawing(svg.decode("utf-8"))), None, PNG_DPI,
                         background_color=_BACKGROUND)
    try:
        return encode_png(surface.cairo)
    finally:
        surface.finish()


def _for_drawing(text: str) -> str:
    """The SVG as cairosvg draws it fastest, showing the same: each icon scaled
    to its size in pixels and drawn where its ``<use>`` was; no titles."""
    size = _SVG_SIZE.search(text)
    pixels_per_unit = float(size.group(1)) * PNG_DPI / 72 / float(size.group(2)) if size else 1.0
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
    """The icon of a PNG data URI scaled so its longer side is ``pixels``, as a data URI."""
    import cairocffi as cairo

    source = cairo.ImageSurface.create_from_png(BytesIO(base64.b64decode(address.split(",", 1)[1])))
    longer = max(source.get_width(), source.get_height())
    if longer <= pixels:
        return address
    ratio = pixels / longer
    target = cairo.ImageSurface(cairo.FORMAT_ARGB32, max(1, round(source.get_width() * ratio)),
                                max(1, round(source.get_height() * ratio)))
    context = cairo.Context(target)
    context.scale(ratio, ratio)
    context.set_source_surface(source)
    context.get_source().set_filter(cairo.FILTER_GOOD)
    context.paint()
    written = BytesIO()
    target.write_to_png(written)
    return "data:image/png;base64," + base64.b64encode(written.getvalue()).decode("ascii")


def encode_png(image: Any) -> bytes:
    """A cairo ARGB32 image surface as PNG bytes: 8-bit RGB through Pillow when every
    pixel is opaque (a diagram on its white card); otherwise cairo's own writer,
    which un-premultiplies and keeps the alpha channel."""
    from PIL import Image  # cairosvg depends on Pillow; only a cold render gets here

    image.flush()
    width, height = image.get_width(), image.get_height()
    # ARGB32 is native-endian 32-bit words: B, G, R, A bytes on little-endian machines.
    raw_mode = "BGRA" if sys.byteorder == "little" else "ARGB"
    picture = Image.frombuffer("RGBA", (width, height), bytes(image.get_data()), "raw", raw_mode,
                               image.get_stride(), 1)
    if picture.getchannel("A").getextrema() != (255, 255):
        written = BytesIO()
        image.write_to_png(written)
        return written.getvalue()
    written = BytesIO()
    picture.convert("RGB").save(written, "PNG", compress_level=_ZLIB_LEVEL)
    return written.getvalue()
