"""Parity: the shipped catalogue built with MkDocs, ProperDocs and Zensical
(``patternbook build --engine``), and with ProperDocs under MaterialX, gives every pattern its five answers, diagrams,
related patterns and repositories, and the site works in Chromium under each.

Every test here runs once per engine (tests/engines/conftest.py). The browser
tests of tests/browser are reused as they are: imported, they run against each
engine's site."""

from __future__ import annotations

import html
import os
import re
from functools import cache
from pathlib import Path

import pytest

from tests.browser.test_csp_in_chromium import test_library_runs_under_the_policy_without_violations
from tests.browser.test_discovery_in_chromium import (
    test_facet_narrows_the_list_and_the_url_carries_it,
    test_pillar_matrix_sorts_by_a_column_and_shows_reasons_on_focus,
    test_problem_finder_returns_the_expected_pattern,
    test_relation_graph_nodes_link_to_their_pages,
    test_without_javascript_the_full_list_shows,
)
from tests.browser.test_library_in_chromium import (
    test_dark_scheme_keeps_the_diagram_legible,
    test_diagram_is_drawn_with_its_icons,
    test_home_loads_without_console_errors_or_foreign_requests,
    test_search_shows_title_summary_category_and_status_and_opens_a_result,
)
from tests.conftest import PROJECT, shipped_site
from tests.engines.conftest import SAME_SITE_AS_MKDOCS

__all__ = [  # the reused browser tests, collected here once per engine
    "test_dark_scheme_keeps_the_diagram_legible",
    "test_diagram_is_drawn_with_its_icons",
    "test_facet_narrows_the_list_and_the_url_carries_it",
    "test_home_loads_without_console_errors_or_foreign_requests",
    "test_library_runs_under_the_policy_without_violations",
    "test_pillar_matrix_sorts_by_a_column_and_shows_reasons_on_focus",
    "test_problem_finder_returns_the_expected_pattern",
    "test_relation_graph_nodes_link_to_their_pages",
    "test_search_shows_title_summary_category_and_status_and_opens_a_result",
    "test_without_javascript_the_full_list_shows",
]

pytestmark = [pytest.mark.site, pytest.mark.browser]

#: The five answers every pattern page gives, by the id of its section heading.
FIVE_ANSWERS = ("pressure", "when-to-use-it-and-when-not-to", "failure-edges", "cost", "operations")
_URL = re.compile(r'(?:href|src)="([^"]*)"')


@cache
def _report():
    from patternbook.validation import validate_paths

    report = validate_paths([PROJECT / "patterns"])
    assert report.ok, [d.format() for d in report.diagnostics]
    return report


def _page(site: Path, slug: str) -> tuple[Path, str]:
    path = site / "patterns" / slug / "index.html"
    return path, path.read_text(encoding="utf-8")


def _article(text: str) -> str:
    found = re.search(r"<article\b.*?</article>", text, re.S)
    assert found, "no <article> in the page"
    return found.group(0)


def _text(fragment: str) -> str:
    """What a reader sees of some HTML: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _shown(source: object, text: str) -> bool:
    """Whether the start of a contributor's sentence appears on the page (inline Markdown aside)."""
    start = " ".join(re.sub(r"[`*_]", "", str(source)).split())[:30]
    return start in text


def _resolves(site: Path, page: Path, url: str) -> Path:
    target = Path(os.path.normpath(page.parent / url.split("#")[0].split("?")[0]))
    assert site.resolve() in target.resolve().parents or target.resolve() == site.resolve(), url
    return target / "index.html" if url.endswith("/") or target.is_dir() else target


def test_every_pattern_page_gives_the_five_answers(built_site: Path) -> None:
    patterns = _report().patterns
    assert len(patterns) >= 30
    for slug, pattern in patterns.items():
        _, text = _page(built_site, slug)
        article = _article(text)
        for anchor in FIVE_ANSWERS:
            assert f'id="{anchor}"' in article, (slug, anchor)
        text = _text(article)
        assert "When not to use it" in text or "when not to" in text.lower(), slug
        for situation in pattern.when_not_to_use:
            assert _shown(situation, text), (slug, situation)
        assert "Breaks first" in text, slug
        assert _shown(pattern.pressure.force, text), slug
        assert _shown(pattern.failure_edges[0].fails, text), slug
        assert pattern.cost.estimate.currency in text, slug
        assert _shown(pattern.operations.runbooks[0], text), slug


def test_every_diagram_exists_and_is_referenced(built_site: Path) -> None:
    from patternbook.pages import diagram_asset_path

    report = _report()
    for slug, bundle in {**report.patterns, **report.anti_patterns}.items():
        page, text = _page(built_site, slug)
        images = {_resolves(built_site, page, url) for url in re.findall(r'<img\b[^>]*\bsrc="([^"]+\.svg)"', text)}
        for diagram in bundle.diagrams:
            svg = built_site / diagram_asset_path(slug, diagram.id)
            assert svg.is_file() and svg.read_bytes().lstrip().startswith((b"<svg", b"<?xml")), svg
            assert svg in images, (slug, diagram.id, sorted(map(str, images))[:3])


def test_related_patterns_and_repositories_are_linked(built_site: Path) -> None:
    report = _report()
    for slug, pattern in report.patterns.items():
        page, text = _page(built_site, slug)
        links = {_resolves(built_site, page, url) for url in _URL.findall(_article(text))
                 if not url.startswith(("http:", "https:", "#", "mailto:", "data:"))}
        for relation in pattern.relations:
            assert built_site / "patterns" / relation.pattern / "index.html" in links, (slug, relation.pattern)
        for repository in pattern.repositories:
            assert f'href="{html.escape(repository.tree_url)}"' in text, (slug, repository.url)


def test_every_local_link_and_image_of_a_pattern_page_resolves(built_site: Path) -> None:
    for slug in list(_report().patterns)[:12]:
        page, text = _page(built_site, slug)
        for url in _URL.findall(_article(text)):
            if url.startswith(("http:", "https:", "#", "mailto:", "data:")):
                continue
            assert _resolves(built_site, page, html.unescape(url)).exists(), (slug, url)


def test_post_build_stage_ran_once_on_the_engine_output(built_site: Path) -> None:
    policy = (built_site / "content-security-policy.txt").read_text().strip()
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy  # Pagefind's index is there
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert (built_site / "feed.xml").is_file() and (built_site / "llms.txt").is_file()
    for page in [*built_site.glob("patterns/*/index.html"), built_site / "index.html"]:
        head = page.read_text(encoding="utf-8")[:6000]
        assert head.count('http-equiv="Content-Security-Policy"') == 1, page
        assert head.count('type="application/atom+xml"') == 1, page  # annotated once, not per stage run
    assert not list(built_site.parent.glob(".site.staging-*")), "a staging folder was left behind"


#: What may differ between two engines' builds of the same site that a browser cannot tell apart:
#: the generator tag naming the engine, and lines holding only whitespace (between two tags).
_ENGINE_NAME = re.compile(rb'<meta name="generator" content="[^"]*">')
_BLANK_LINES = re.compile(rb"\n[ \t]*(?=\n)")


def _as_browsers_see_it(name: Path, content: bytes) -> bytes:
    """A file of a site without what an engine may write its own way and no browser tells apart.
    ``tags.json`` is Material's tag index for other tools, loaded by no page; the engines list the
    same pages in it in their own orders (ProperDocs by path, MkDocs by navigation)."""
    if name == Path("tags.json"):
        import json

        return json.dumps(sorted(json.dumps(item, sort_keys=True) for item in json.loads(content)["mappings"])).encode()
    return _BLANK_LINES.sub(b"", _ENGINE_NAME.sub(b"", content))


@pytest.mark.parametrize("engine", SAME_SITE_AS_MKDOCS, indirect=True)
def test_an_engine_with_the_same_theme_writes_the_site_mkdocs_writes(built_site: Path, engine: str) -> None:
    """Why the browser tests do not run again on these combinations (conftest.SAME_SITE_AS_MKDOCS):
    every file of their site is MkDocs's, up to the generator tag, blank lines and the order of
    ``tags.json``. Should a release make them differ, this fails; take the engine out of
    SAME_SITE_AS_MKDOCS and its browser runs come back."""
    mkdocs_site = shipped_site()
    files = {path.relative_to(built_site) for path in built_site.rglob("*") if path.is_file()}
    assert files == {path.relative_to(mkdocs_site) for path in mkdocs_site.rglob("*") if path.is_file()}
    different = [str(name) for name in sorted(files)
                 if _as_browsers_see_it(name, (built_site / name).read_bytes())
                 != _as_browsers_see_it(name, (mkdocs_site / name).read_bytes())]
    assert different == [], f"{engine} writes these differently from MkDocs: {different[:10]}"
