"""A reader downloads each diagram format from a pattern page, with the mouse and with the keyboard:
the PNG from its file, the Mermaid and DOT text from the data: link the page carries, under the
page's Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

#: Before and after diagrams side by side: two figures, six download links.
PATTERN = "patterns/cross-account-cross-region-dr/"
#: How each saved file starts.
SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "mmd": b"%% Patternbook diagram ", "gv": b"// "}


#: How the page carries a text download.
DATA_TEXT = "data:text/plain;charset=utf-8,"


def _check_saved(download: object, link: object, built_site: Path) -> str:
    name = link.get_attribute("download")
    assert download.suggested_filename == name
    saved = Path(download.path()).read_bytes()
    suffix = name.rsplit(".", 1)[1]
    href = link.get_attribute("href")
    if suffix in ("mmd", "gv"):  # no file in the site: the page's data: link is the download
        assert href.startswith(DATA_TEXT) and not (built_site / "assets" / "diagrams" / name).exists()
        assert saved == unquote(href.removeprefix(DATA_TEXT)).encode("utf-8")
    else:
        assert saved == (built_site / "assets" / "diagrams" / name).read_bytes()
    assert saved.startswith(SIGNATURES[suffix]), name
    return suffix


@pytest.mark.parametrize("path", [PATTERN, "patterns/synchronous-call-chain/"])
def test_every_download_link_saves_its_file(page: object, site_url: str, built_site: Path, path: str) -> None:
    page.goto(site_url + path)
    figures = page.locator("figure.pb-diagram")
    links = page.locator("figure.pb-diagram .pb-diagram-downloads a")
    assert figures.count() >= 1 and links.count() == 3 * figures.count()
    saved: list[str] = []
    for index in range(links.count()):
        link = links.nth(index)
        link.scroll_into_view_if_needed()
        with page.expect_download() as arrival:
            link.click()
        saved.append(_check_saved(arrival.value, link, built_site))
    assert saved == ["png", "mmd", "gv"] * figures.count()
    assert page.url == site_url + path  # downloading never navigates away
    assert page.console_errors == []


def test_links_name_the_diagram_and_the_format(page: object, site_url: str) -> None:
    page.goto(site_url + PATTERN)
    titles = [title.strip(" .") for title in page.locator("figure.pb-diagram figcaption strong").all_inner_texts()]
    assert len(titles) == 2
    for title in titles:
        for format_name in ("PNG image (opens in draw.io)", "Mermaid flowchart", "Graphviz DOT file"):
            name = f"Download the diagram “{title}” as a {format_name}"
            assert page.get_by_role("link", name=name, exact=True).count() == 1, name


def test_keyboard_alone_reaches_and_downloads_a_format(page: object, site_url: str, built_site: Path) -> None:
    page.goto(site_url + PATTERN)
    caption = page.locator("figure.pb-diagram figcaption").first
    caption.scroll_into_view_if_needed()
    caption.click()  # sets where sequential focus navigation starts, as a reader's click does
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('download')")
    assert focused and focused.endswith(".png")
    page.keyboard.press("Tab")
    link = page.locator("figure.pb-diagram .pb-diagram-downloads a").nth(1)
    assert link.evaluate("element => element === document.activeElement")
    outline = link.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"  # the focused link shows where the keyboard is
    with page.expect_download() as arrival:
        page.keyboard.press("Enter")
    assert _check_saved(arrival.value, link, built_site) == "mmd"
