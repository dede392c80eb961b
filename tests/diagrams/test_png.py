"""The PNG download: Patternbook's cairo drawing of Graphviz's SVG against cairosvg's, and
the encoding (unfiltered rows, deflated) against cairo's own writer: the same pixels."""

from __future__ import annotations

import io

import pytest

from patternbook.diagrams.png import NotDotSvg, draw_dot_svg, encode_png, png_document


def pixels(surface):
    """A cairo ARGB32 surface as a Pillow greyscale picture, for comparing drawings."""
    from PIL import Image

    return Image.frombuffer("RGBA", (surface.get_width(), surface.get_height()), bytes(surface.get_data()),
                            "raw", "BGRA", surface.get_stride(), 1).convert("L")


def assert_same_picture(ours, theirs, label: object = None) -> None:
    """Same size, and the same picture seen at a quarter of its resolution: shapes, icons and
    colours match; glyph edges may differ (a string placed at once, not letter by letter).
    The last row and column are left out: cairosvg clips the card to the unrounded size."""
    from PIL import Image, ImageChops, ImageStat

    assert ours.size == theirs.size, label
    width, height = ours.size
    small = ((width - 1) // 4, (height - 1) // 4)
    difference = ImageChops.difference(*(picture.crop((0, 0, width - 1, height - 1)).resize(small, Image.BOX)
                                         for picture in (ours, theirs)))
    histogram = difference.histogram()
    assert ImageStat.Stat(difference).mean[0] < 3, label
    assert sum(histogram[48:]) / sum(histogram) < 0.01, label


#: What Graphviz's SVG renderer writes, each kind of element and attribute once.
DOT_LIKE = b"""<svg width="180pt" height="120pt" viewBox="0.00 0.00 180.00 120.00"
 xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="g" class="graph" transform="scale(1 1) rotate(0) translate(4 116)">
<title>t</title>
<polygon fill="white" stroke="transparent" points="-4,4 -4,-116 176,-116 176,4 -4,4"/>
<g class="node"><title>a</title>
<path fill="#e5f5fd" stroke="#7b8894" d="M60,-108C60,-108 12,-108 12,-108 6,-108 0,-102 0,-96 0,-96 0,-84 0,-84
 0,-78 6,-72 12,-72 12,-72 60,-72 60,-72 66,-72 72,-78 72,-84 72,-84 72,-96 72,-96 72,-102 66,-108 60,-108"/>
<text text-anchor="middle" x="36" y="-86" font-family="Sans-Serif" font-size="13.00" fill="#2d3436">Queue</text>
</g>
<ellipse fill="#fdf5e5" stroke="black" stroke-width="2" cx="140" cy="-90" rx="30" ry="16"/>
<text text-anchor="start" x="118" y="-40" font-family="Sans-Serif" font-weight="bold" font-size="11.00">start</text>
<text text-anchor="end" x="60" y="-20" font-family="Sans-Serif" font-style="italic" font-size="11.00">end</text>
<path fill="none" stroke="#7b8894" stroke-dasharray="5,2" d="M72,-90C90,-90 95,-90 108,-90"/>
<polyline fill="none" stroke="#2d3436" stroke-dasharray="1,5" points="10,-10 170,-10 170,-60"/>
<polygon fill="#7b8894" stroke="#7b8894" fill-opacity="0.5" points="108,-86.5 118,-90 108,-93.5 108,-86.5"/>
</g>
</svg>
"""


def test_dot_svg_is_drawn_as_cairosvg_draws_it() -> None:
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface

    ours = draw_dot_svg(DOT_LIKE)
    theirs = PNGSurface(Tree(bytestring=DOT_LIKE), None, 96, background_color="#ffffff").cairo
    assert (ours.get_width(), ours.get_height()) == (240, 160)  # 96 px per 72 pt
    assert_same_picture(pixels(ours), pixels(theirs))
    assert pixels(ours).getextrema() == (0, 255)  # something dark was drawn: the text and the outline


@pytest.mark.parametrize("element", [
    b'<rect width="10" height="10"/>',
    b'<path d="m0,0 l10,10"/>',
    b'<polygon fill="rebeccapurple" points="0,0 10,0 10,10"/>',
    b'<g transform="matrix(1 0 0 1 0 0)"><text>x</text></g>',
])
def test_anything_graphviz_does_not_write_goes_to_cairosvg(element: bytes) -> None:
    from PIL import Image

    svg = DOT_LIKE.replace(b"</g>\n</svg>", element + b"</g>\n</svg>")
    with pytest.raises(NotDotSvg):
        draw_dot_svg(svg)
    assert Image.open(io.BytesIO(png_document(svg))).size == (240, 160)


def _drawn(opaque: bool):
    import cairocffi as cairo

    image = cairo.ImageSurface(cairo.FORMAT_ARGB32, 97, 41)  # odd sizes: rows are not a power of two
    context = cairo.Context(image)
    if opaque:
        context.set_source_rgb(1, 1, 1)
        context.paint()
    context.set_source_rgba(0.8, 0.2, 0.1, 0.6)
    context.arc(40, 20, 18, 0, 6.3)
    context.fill()
    context.set_source_rgb(0.1, 0.3, 0.9)
    context.rectangle(60.5, 5.25, 30, 25)
    context.fill()
    return image


def _cairo_png(image) -> bytes:
    written = io.BytesIO()
    image.write_to_png(written)
    return written.getvalue()


def test_an_opaque_picture_is_a_palette_close_to_cairos_pixels() -> None:
    from PIL import Image, ImageChops

    image = _drawn(opaque=True)
    ours, theirs = Image.open(io.BytesIO(encode_png(image))), Image.open(io.BytesIO(_cairo_png(image)))
    assert ours.format == "PNG" and ours.mode == "P" and ours.size == (97, 41)
    assert "transparency" not in ours.info
    # The octree palette moves a colour by a few levels at most (here 11 of 255): never visibly.
    worst = max(high for _, high in ImageChops.difference(ours.convert("RGB"), theirs.convert("RGB")).getextrema())
    assert worst <= 16
    # Large flat colours stay exact: the white card (it meets the white page) and a filled shape.
    for point in ((0, 0), (75, 17)):
        assert ours.convert("RGB").getpixel(point) == theirs.convert("RGB").getpixel(point), point
    assert encode_png(image) == encode_png(_drawn(opaque=True))  # deterministic


def test_a_picture_with_transparency_keeps_its_alpha() -> None:
    from PIL import Image

    image = _drawn(opaque=False)
    ours = Image.open(io.BytesIO(encode_png(image)))
    assert ours.mode == "RGBA"
    assert ours.tobytes() == Image.open(io.BytesIO(_cairo_png(image))).tobytes()
    assert ours.getpixel((0, 0))[3] == 0
