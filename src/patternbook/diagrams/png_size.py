"""How large a PNG download is drawn: 96 dpi, smaller when cairo or memory could not hold it.

Cairo refuses an image side over 32,767 pixels (``CAIRO_STATUS_INVALID_SIZE``) and
every picture is held uncompressed (4 bytes a pixel) by the worker that draws it;
both drawers (:mod:`.dot_svg_drawing` and cairosvg in :mod:`.png`) size by this.
"""

from __future__ import annotations

import math

__all__ = ["MAX_PNG_PIXELS", "MAX_PNG_SIDE", "PNG_DPI", "SMALLEST_PNG_PIXELS", "fitted_scale"]

#: 96 px per 72 pt: the size a browser shows the SVG at 100 %.
PNG_DPI = 96
#: The longest side of a PNG download, in pixels: the most cairo's image surfaces accept.
MAX_PNG_SIDE = 32_767
#: The most pixels of a PNG download: 128 MB while drawn (ARGB32), about a 6,000-pixel square.
MAX_PNG_PIXELS = 1 << 25
#: Below this many pixels a picture cairo refuses is not drawn smaller again: the error is not its size.
SMALLEST_PNG_PIXELS = 1 << 16


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
