"""The Mermaid and DOT downloads travel inside the page as data: links; the PNG stays a file."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

from patternbook.catalogue import Catalogue
from patternbook.pages import PageRenderer, SiteOptions, plan_bundle_page
from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY, PROJECT

CASES = Path(__file__).parents[1] / "validation" / "cases"
#: Everything a data: URL or an HTML attribute could read as syntax.
AWKWARD = 'A "quoted" <b>&amp;</b> 50% #fragment \'single\' ü\n\tnext line\\ '


def _links(catalogue_dir: Path, texts: dict | None) -> list[tuple[str, str]]:
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue_dir / "minimal-valid")
    report = validate_paths([catalogue_dir], today=datetime.date.fromisoformat(FIXED_TODAY))
    catalogue = Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)
    page = plan_bundle_page(catalogue, "minimal-valid", SiteOptions(datetime.date.fromisoformat(FIXED_TODAY)),
                            PageRenderer(PROJECT / "templates"), download_texts=texts)
    return re.findall(r'<a href="([^"]*)" download="([^"]*)">', page.content)


def test_mermaid_and_dot_are_data_links_that_decode_to_their_text(catalogue_dir: Path) -> None:
    texts = {("minimal-valid", "overview"): {"mmd": "flowchart LR\n" + AWKWARD, "gv": "digraph {}\n" + AWKWARD}}
    links = dict((name, href) for href, name in _links(catalogue_dir, texts))
    assert links["minimal-valid--overview.png"] == "../../assets/diagrams/minimal-valid--overview.png"
    for suffix in ("mmd", "gv"):
        href = links[f"minimal-valid--overview.{suffix}"]
        prefix = "data:text/plain;charset=utf-8,"
        assert href.startswith(prefix)
        assert not re.search(r"[\s\"'<>&#]", href)  # nothing HTML or the URL would read
        assert unquote(href.removeprefix(prefix)) == texts[("minimal-valid", "overview")][suffix]


def test_without_their_text_the_page_links_no_file_that_is_not_published(catalogue_dir: Path) -> None:
    assert [name for _, name in _links(catalogue_dir, None)] == ["minimal-valid--overview.png"]
