"""The provider icons as the published diagrams embed them: as large as they are shown, in a palette.

The ``diagrams`` icons are 256–300 pixel RGBA PNGs; a diagram draws them about
100 units wide, and an SVG of seven icons carried about 100 KB of them (85 % of
the file). Each icon is therefore embedded scaled to :data:`PIXELS_PER_UNIT`
pixels per unit it is drawn at (one and a half times its size at 100 % zoom, where a unit is a
CSS pixel; diagrams wider than the page column are shown smaller still), never
enlarged, and reduced to a palette of at most :data:`ICON_COLOURS` colours with
its transparency: flat provider artwork loses nothing visible. On the shipped
catalogue the palette did most of the work (the icons of all diagrams went from
1.7 MB to 0.47 MB; scaling alone saved little once quantised).

Both the SVG (:mod:`.svg`) and the draw.io file (:mod:`.downloads`) embed icons
through :func:`published_icon`, so they agree. Each processed icon is kept for the
life of the process (a worker draws many diagrams with the same icons); across
builds the diagram files themselves are cached by a key naming the Pillow version
(:func:`~patternbook.diagrams.png.png_renderer`) and this module's
:data:`ICON_PROCESSING`, so a warm build never processes an icon.
"""

from __future__ import annotations

import math
from functools import lru_cache
from io import BytesIO

from patternbook.diagrams.kinds import icons_directory

__all__ = ["ICON_COLOURS", "ICON_PROCESSING", "PIXELS_PER_UNIT", "icon_png", "published_icon"]

#: Pixels of an embedded icon per unit of the size it is drawn at.
PIXELS_PER_UNIT = 1.5
#: The most colours an embedded icon keeps (a PNG palette holds 256).
ICON_COLOURS = 256
#: Names the processing in the diagram cache key: change it when this module changes what it writes.
ICON_PROCESSING = f"icons {PIXELS_PER_UNIT} px/unit, {ICON_COLOURS}-colour octree palette"


@lru_cache(maxsize=512)
def icon_png(relative: str) -> bytes:
    """The PNG of a ``diagrams`` icon as the package ships it, named relative to the icon
    folder (never outside it)."""
    root = icons_directory()
    path = (root / relative).resolve()
    if root not in path.parents or path.suffix != ".png":
        raise ValueError(f"icon '{relative}' is not a diagrams icon")
    return path.read_bytes()


@lru_cache(maxsize=1024)
def published_icon(relative: str, drawn_units: float) -> bytes:
    """The PNG of the ``diagrams`` icon ``relative`` (``aws/compute/lambda.png``) as embedded
    where it is drawn ``drawn_units`` wide (its longer side): scaled down to
    :data:`PIXELS_PER_UNIT` pixels a unit, in a palette of :data:`ICON_COLOURS` colours."""
    from PIL import Image  # cairosvg depends on Pillow; only a cold render gets here

    picture = Image.open(BytesIO(icon_png(relative)))
    picture.load()
    picture = picture.convert("RGBA")
    longest = max(1, math.ceil(drawn_units * PIXELS_PER_UNIT))
    if max(picture.size) > longest:
        ratio = longest / max(picture.size)
        picture = picture.resize((max(1, round(picture.width * ratio)), max(1, round(picture.height * ratio))),
                                 Image.Resampling.LANCZOS)
    # The fast octree is the quantiser Pillow offers for RGBA; no dithering keeps flat colours flat.
    palette = picture.quantize(ICON_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    written = BytesIO()
    palette.save(written, "PNG", optimize=True)
    return written.getvalue()
