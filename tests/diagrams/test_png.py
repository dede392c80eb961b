"""The PNG encoding (Pillow's encoder on cairo's pixels) against cairo's own writer: the same pixels."""

from __future__ import annotations

import io

from patternbook.diagrams.png import encode_png


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


def test_an_opaque_picture_is_rgb_with_cairos_exact_pixels() -> None:
    from PIL import Image

    image = _drawn(opaque=True)
    ours, theirs = Image.open(io.BytesIO(encode_png(image))), Image.open(io.BytesIO(_cairo_png(image)))
    assert ours.format == "PNG" and ours.mode == "RGB" and ours.size == (97, 41)
    assert ours.tobytes() == theirs.convert("RGB").tobytes()
    assert encode_png(image) == encode_png(_drawn(opaque=True))  # deterministic


def test_a_picture_with_transparency_keeps_its_alpha() -> None:
    from PIL import Image

    image = _drawn(opaque=False)
    ours = Image.open(io.BytesIO(encode_png(image)))
    assert ours.mode == "RGBA"
    assert ours.tobytes() == Image.open(io.BytesIO(_cairo_png(image))).tobytes()
    assert ours.getpixel((0, 0))[3] == 0
