"""A hostile alphabet through every string field of ``pattern.yaml`` and
``catalogue.yaml``, into a real ``mkdocs build --strict``.

Each example is one hostile string. It is tried in every string field of both
files, one field at a time: where validation refuses it, the refusal must be
positioned diagnostics (no traceback); where validation accepts it, it stays.
The site is then built with every accepted field poisoned at once, and every
output is parsed: no element or attribute that a clean build of the same
catalogue does not have (so no contributor text became markup), no
``javascript:`` address, every SVG well-formed XML, every JSON file strict.
"""

from __future__ import annotations

import copy
import datetime
import json
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from patternbook.loader import load_bundle
from patternbook.schema import CatalogueFile
from patternbook.validation import validate_bundle, vocabulary_of
from patternbook.validation.markdown_rules import url_is_allowed
from tests.conftest import FIXTURE_CATALOGUE, PROJECT, mkdocs_build

pytestmark = pytest.mark.site

MINIMAL = PROJECT / "tests" / "validation" / "cases" / "positive" / "minimal-valid"
#: Markup, quotes, backslashes, NUL and controls, <…>-wrapped strings, javascript:
#: in disguise, template syntax, regex-template escapes, bidi and look-alike characters.
HOSTILE_PIECES = [
    "<", ">", "&", '"', "'", "\\", "\\q", "\\0", "\\1", "\\N", "\\G", "\\l", "\x00", "\x07", "\x1b[31m", "\u0085",
    "\u202e", "\u200b", "\u2066", "\ufeff", "\uffff", "а", "ο", "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>', "</title><script>alert(4)</script>",
    "<<TABLE><TR><TD HREF=\"javascript:alert(5)\">Z</TD></TR></TABLE>>", "<v2>", "javascript:alert(6)",
    "JaVaScRiPt:alert(7)", "java&#115;cript:", "&#0;", "&lt;b&gt;", "{{ 7 * 7 }}", "{% raw %}", "{: onclick=x }",
    "[x](javascript:alert(8))", "]]>", "<!--", "-->", "`", "*", "_", "|", "#", "$1", "%s", "\n", "\t", " ",
]
HOSTILE = st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=4).map("".join)
FILLER_BEFORE = "Contributors may write anything into this field and it must stay text"
FILLER_AFTER = ("and then the sentence carries on for long enough to satisfy every minimum length and word "
                "count that the schema sets for prose in a pattern bundle or the catalogue file.")


def _string_paths(data: Any, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _string_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _string_paths(value, (*path, index))
    elif isinstance(data, str):
        yield path


def _put(data: Any, path: tuple, value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _candidates(hostile: str) -> list[str]:
    """The hostile string alone, and inside enough words to pass as prose."""
    return [f"{FILLER_BEFORE} {hostile} {FILLER_AFTER}", f"Text {hostile} text", hostile]


def _plain(data: Any) -> Any:
    """The loader's data as JSON (which is YAML): dates as ISO strings."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


def _poison_catalogue(data: dict, hostile: str) -> dict:
    poisoned = copy.deepcopy(data)
    for path in list(_string_paths(poisoned)):
        for candidate in _candidates(hostile):
            trial = copy.deepcopy(poisoned)
            _put(trial, path, candidate)
            try:
                CatalogueFile.model_validate(trial)
            except ValidationError:
                continue
            poisoned = trial
            break
    return poisoned


def _poison_pattern(bundle_dir: Path, catalogue: CatalogueFile, hostile: str) -> dict:
    bundle = load_bundle(bundle_dir)
    vocabulary = vocabulary_of(catalogue)
    data = bundle.pattern.data
    for path in list(_string_paths(data)):
        original = copy.deepcopy(data)
        for candidate in _candidates(hostile):
            _put(data, path, candidate)
            pattern, diagnostics = validate_bundle(bundle, vocabulary)
            for diagnostic in diagnostics:  # refused: positioned, never a traceback
                assert diagnostic.line >= 1 and diagnostic.column >= 1 and diagnostic.code.startswith("PB")
            if pattern is not None:
                break
            bundle.pattern.data = data = copy.deepcopy(original)
    return _plain(data)


class _Markup(HTMLParser):
    """Elements, attribute names and addresses of real markup in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shapes: set[tuple[str, str]] = set()
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shapes.add((tag, ""))
        for name, value in attrs:
            self.shapes.add((tag, name))
            if name in ("href", "src", "xlink:href", "action", "formaction"):
                self.addresses.append(value or "")


def _project(root: Path, catalogue: dict | None = None, pattern: dict | None = None) -> Path:
    project = root / "library"
    project.mkdir(parents=True)
    for part in ("mkdocs.yml", "templates", "docs", "site_overrides"):
        source = PROJECT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    shutil.copytree(FIXTURE_CATALOGUE, project / "patterns")
    shutil.copytree(MINIMAL, project / "patterns" / "minimal-valid", ignore=shutil.ignore_patterns("expected.txt"))
    if catalogue is not None:
        (project / "patterns" / "catalogue.yaml").write_text(json.dumps(catalogue), encoding="utf-8")
    if pattern is not None:
        (project / "patterns" / "minimal-valid" / "pattern.yaml").write_text(json.dumps(pattern), encoding="utf-8")
    return project


def _markup_of(site: Path) -> tuple[set[tuple[str, str]], list[str]]:
    shapes: set[tuple[str, str]] = set()
    addresses: list[str] = []
    for page in site.rglob("*.html"):
        parsed = _Markup()
        parsed.feed(page.read_text(encoding="utf-8"))
        parsed.close()
        shapes |= parsed.shapes
        addresses += parsed.addresses
    return shapes, addresses


def _strict_json(text: str) -> Any:
    def refuse(constant: str) -> float:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


EPOCH = {"SOURCE_DATE_EPOCH": "1793000000"}


@pytest.fixture(scope="module")
def clean_markup(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """Every (element, attribute) a clean build of the same catalogue holds."""
    root = tmp_path_factory.mktemp("clean")
    result = mkdocs_build(_project(root), root / "site", env=EPOCH)
    assert result.returncode == 0, result.stderr[-3000:]
    return _markup_of(root / "site")[0]


# One generated string beside the three hand-picked ones: each is a full site build, and the
# generated strings draw from the same alphabet of markup the examples already hold.
@settings(max_examples=1, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(hostile=HOSTILE)
@example(hostile='"><img src=x onerror=alert(1)> \\q \\0')
@example(hostile="</title><script>alert(4)</script>")
@example(hostile="<<B>x</B>> &#0; \\N {{ 7 * 7 }} Breаker")
def test_hostile_text_in_every_field_stays_text(tmp_path_factory: pytest.TempPathFactory,
                                                clean_markup: set[tuple[str, str]], mermaid: object,
                                                hostile: str) -> None:
    root = tmp_path_factory.mktemp("hostile")
    base = _project(root / "base")
    catalogue_data = _plain(load_bundle_catalogue(base))
    poisoned_catalogue = _poison_catalogue(catalogue_data, hostile)
    pattern = _poison_pattern(base / "patterns" / "minimal-valid", CatalogueFile.model_validate(poisoned_catalogue),
                              hostile)
    project = _project(root / "poisoned", poisoned_catalogue, pattern)
    site = root / "site"
    result = mkdocs_build(project, site, env=EPOCH)
    assert "Traceback" not in result.stderr
    if result.returncode != 0:  # only a cross-bundle rule may still refuse (a look-alike duplicate title)
        assert "PB301" in result.stderr, result.stderr[-3000:]
        return
    shapes, addresses = _markup_of(site)
    assert shapes <= clean_markup, sorted(shapes - clean_markup)
    for address in addresses:
        # Besides allowed links: embedded icons, and the downloads a page carries (text, never run).
        assert url_is_allowed(address) or address.startswith(("data:image/", "data:text/plain;")), address
    for svg in site.rglob("*.svg"):
        ElementTree.parse(svg)
    for document in site.rglob("*.json"):
        _strict_json(document.read_text(encoding="utf-8"))
    _downloads_stay_text(site, mermaid)


def _downloads_stay_text(site: Path, mermaid: object) -> None:
    """Each diagram download read by its own parser: the draw.io file as XML with text-only
    labels, the Mermaid file by Mermaid (one node per draw.io node, nothing clickable), the
    DOT file by ``dot``."""
    import subprocess

    from patternbook.diagrams.png import drawio_source_of_png
    from tests.conftest import inline_downloads

    carried = inline_downloads(site)
    for drawio in sorted(site.rglob("*.png")):
        if drawio.parent.name != "diagrams":
            continue
        cells = list(ElementTree.fromstring(drawio_source_of_png(drawio.read_bytes())).iter("mxCell"))
        vertices = [cell for cell in cells if cell.get("id", "").startswith("node-")]
        assert all("html=0;" in cell.get("style") for cell in cells if cell.get("style")), drawio.name
        drawn = mermaid.draw(carried[drawio.with_suffix(".mmd").name])
        assert drawn.error is None, (drawio.name, drawn.error)
        assert sorted(drawn.nodes) == sorted(cell.get("value").replace("\r", "\n") for cell in vertices)
        assert (drawn.links, drawn.scripts, drawn.clickable) == (0, 0, 0)
        answer = subprocess.run(["dot", "-Tcanon"], input=carried[drawio.with_suffix(".gv").name].encode("utf-8"),
                                capture_output=True, timeout=60, check=False)
        assert answer.returncode == 0, answer.stderr[-1000:]


def load_bundle_catalogue(project: Path) -> dict:
    from patternbook.loader import load_catalogue_source

    return load_catalogue_source(project / "patterns").document.data
