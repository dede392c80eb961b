"""Drawn SVGs are untrusted until proven inert: anything that could act in a
page stops the build instead of reaching it."""

from __future__ import annotations

import pytest

from patternbook.diagrams.svg import UnsafeSvg, check_svg_is_inert

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


def test_a_drawing_with_allowed_links_passes() -> None:
    check_svg_is_inert(SVG.format('<g id="g"><a xlink:href="../x/"><text>x</text></a><use xlink:href="#g"/></g>'),
                       links={"../x/"})


@pytest.mark.parametrize("inner", [
    "<script>alert(1)</script>",
    '<g onload="alert(1)"/>',
    '<a xlink:href="javascript:alert(1)"><text>x</text></a>',
    '<a href="../elsewhere/"><text>x</text></a>',
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
    '<image xlink:href="https://evil.example/x.png"/>',
    '<g style="background:url(https://evil.example/)"/>',
    "<text>\x00</text>",
])
def test_anything_that_could_act_is_refused(inner: str) -> None:
    with pytest.raises(UnsafeSvg):
        check_svg_is_inert(SVG.format(inner), links={"../x/"})
