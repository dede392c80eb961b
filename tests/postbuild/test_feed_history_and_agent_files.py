"""The post-build files on real ``mkdocs build --strict`` sites: the Atom feed
(parsed with feedparser), ``llms.txt`` and each pattern's Markdown and JSON, the
links every page's ``<head>`` gains, the change history on pattern pages, and a
pull-request preview. The shipped catalogue is built outside git (the session's
shared site); a small catalogue is built inside a git history made for the test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import copy_project, mkdocs_build

pytestmark = pytest.mark.site

ATOM_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">')


def head_of(page: Path) -> str:
    return page.read_text(encoding="utf-8").split("</head>", 1)[0]


def shipped_patterns(site: Path) -> list[dict]:
    return json.loads((site / "catalogue.json").read_text(encoding="utf-8"))["patterns"]


def shipped_bundles(site: Path) -> list[dict]:
    """Bundles of every kind, from catalogue.json (one list per kind, after the vocabularies)."""
    document = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    return [bundle for name, listed in document.items() if name not in ("categories", "series", "symptoms")
            for bundle in listed]


def test_feed_is_valid_atom_with_an_entry_per_bundle(built_site: Path) -> None:
    import feedparser

    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id and feed.feed.title == "Patternbook: what changed" and feed.feed.updated_parsed
    assert any(link.rel == "self" for link in feed.feed.links)
    patterns = {p["slug"]: p for p in shipped_bundles(built_site)}
    # Built outside git: each bundle once, dated by its last review (deprecated ones say so).
    assert len(feed.entries) == min(len(patterns), 50)
    for entry in feed.entries:
        assert entry.id and entry.title and entry.updated_parsed and entry.summary
        slug = entry.link.removeprefix("patterns/").rstrip("/")
        assert slug in patterns and (built_site / entry.link / "index.html").is_file()
        kind = entry.tags[0].term
        assert kind in {"re-reviewed", "deprecated"}
        assert entry.updated.startswith(patterns[slug]["last_reviewed"])
        suffix = "" if patterns[slug]["kind"] == "pattern" else f" ({patterns[slug]['kind']})"
        assert entry.title.endswith(patterns[slug]["title"] + suffix)
    dates = [entry.updated for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_every_page_links_the_feed_from_its_head(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        found = ATOM_LINK.findall(head_of(page))
        assert len(found) == 1, page
        assert (page.parent / found[0]).resolve() == (built_site / "feed.xml").resolve(), page


def test_each_pattern_is_published_as_markdown_and_json_beside_its_page(built_site: Path) -> None:
    for pattern in shipped_patterns(built_site):
        slug = pattern["slug"]
        page = built_site / "patterns" / slug / "index.html"
        html = page.read_text(encoding="utf-8")
        # The post-build stage writes the href, relative to where the engine put the page.
        assert f'<a href="../{slug}.md" data-pb-format="md" type="text/markdown">Markdown</a>' in html
        assert f'<a href="../{slug}.json" data-pb-format="json" type="application/json">JSON</a>' in html
        # Only the feed is a <link rel="alternate">: Material fetches sitemap.xml beside every such link.
        assert len(re.findall(r'<link rel="alternate"', head_of(page))) == 1
        document = json.loads((built_site / "patterns" / f"{slug}.json").read_text(encoding="utf-8"))
        assert document["slug"] == slug and document["title"] == pattern["title"]
        assert set(document["answers"]) == {"pressure", "when_not_to_use", "failure_edges", "cost", "operations"}
        assert document["answers"]["failure_edges"][0]["fails"] == pattern["failure_edges"][0]["fails"]
        markdown = (built_site / "patterns" / f"{slug}.md").read_text(encoding="utf-8")
        assert markdown.startswith(f"# {pattern['title']}\n\n> {pattern['summary']}\n")
        for heading in ("## Pressure", "## When not to use it", "## Failure edges", "## Cost", "## Operations",
                        "## Solution", "### Components", "### Flow", "### Boundaries"):
            assert f"\n{heading}\n" in markdown, (slug, heading)
        assert f"1. **{pattern['failure_edges'][0]['fails']}** (breaks first)" in markdown
        assert not re.search(r"<(div|span|p|ul|ol|li|dl|table|a)\b", markdown)  # Markdown, not the page's HTML


def test_llms_txt_introduces_the_library_and_links_every_pattern(built_site: Path) -> None:
    text = (built_site / "llms.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Patternbook" and lines[2].startswith("> ")
    assert "what breaks first" in text
    for pattern in shipped_patterns(built_site):
        assert f"- [{pattern['title']}](patterns/{pattern['slug']}.md): {pattern['summary']}" in text
    for target in re.findall(r"\]\(([^)]+)\)", text):
        assert (built_site / target).is_file(), target


def test_pages_built_outside_git_say_why_there_is_no_history(built_site: Path) -> None:
    html = (built_site / "patterns" / "circuit-breaker" / "index.html").read_text(encoding="utf-8")
    assert "Change history unavailable: built outside a git repository" in html
    assert "pb-changed" not in html
    assert "noindex" not in html and "pb-preview-banner" not in html
    assert not (built_site / "robots.txt").exists()


def test_pattern_pages_show_last_changed_and_the_change_history(preview_site: Path) -> None:
    html = (preview_site / "patterns" / "minimal-valid" / "index.html").read_text(encoding="utf-8")
    assert 'Last changed <time datetime="2026-03-01">2026-03-01</time>' in html
    history = html.split('id="change-history"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'<time datetime="([\d-]+)">', history) == ["2026-03-01", "2026-01-05"]
    assert "Re-review &lt;the&gt; minimal pattern" in history and "Start the catalogue" in history
    neighbour = (preview_site / "patterns" / "neighbour-pattern" / "index.html").read_text(encoding="utf-8")
    assert 'Last changed <time datetime="2026-01-05">' in neighbour


def test_feed_from_git_names_what_each_commit_did(preview_site: Path) -> None:
    import feedparser

    feed = feedparser.parse((preview_site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [(entry.tags[0].term, entry.title) for entry in feed.entries][:1] == [
        ("re-reviewed", "Re-reviewed: Minimal valid pattern")]
    assert {entry.tags[0].term for entry in feed.entries[1:]} == {"new"}
    assert len(feed.entries) == 5  # the re-review, and each bundle (anti-pattern included) new
    assert feed.feed.updated.startswith("2026-03-01")


def test_a_preview_is_marked_noindex_with_a_visible_banner_on_every_page(preview_site: Path) -> None:
    pages = sorted(preview_site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex, nofollow">' in head_of(page), page
        body = re.search(r"<body\b[^>]*>", html)
        assert body is not None
        assert html[body.end():].startswith('<div class="pb-preview-banner" role="note">Preview of pull request 42:')
    assert (preview_site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"


def test_a_preview_number_that_is_not_a_number_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "library", small=True)
    result = mkdocs_build(project, tmp_path / "site", env={"PATTERNBOOK_PREVIEW_PR": "42; rm -rf /"})
    assert result.returncode != 0
    assert "must be a pull request number" in result.stderr and "Traceback" not in result.stderr

