"""Search for a site without a catalogue: a Pagefind index of its built pages.

A library's index is built from the validated models (:mod:`.search`). A site
of prose pages, such as Patternbook's own handbook, has no models: its records
are read from the finished HTML instead, one per page, holding only the page's
article (not the navigation repeated on every page), its title weighted above
its headings and its headings above its prose. The same Pagefind binary writes
the index, and the same search dialog (``site_overrides``) reads it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from patternbook.escaping import html_text
from patternbook.postbuild.search import SEARCH_FOLDER, SearchRecord, write_search_index

__all__ = ["index_site_pages", "page_record", "page_records"]

TITLE_WEIGHT = 10
SUMMARY_WEIGHT = 4
HEADING_WEIGHT = 5
PROSE_WEIGHT = 1
#: A summary shown under a result: the page's first paragraph, cut to this many characters.
SUMMARY_CHARS = 200
#: Elements whose text is not part of what a page says: permalink marks, scripts, styles.
_SKIPPED = frozenset({"script", "style", "template", "svg"})
_HEADINGS = frozenset({"h2", "h3", "h4"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})


class _ArticleText(HTMLParser):
    """The title, headings, first paragraph and prose of a page's ``<article>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.summary = ""
        self.headings: list[str] = []
        self.prose: list[str] = []
        self._article_depth = 0
        self._skip_depth = 0
        self._open: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article":
            self._article_depth += 1
        if self._skip_depth or tag in _SKIPPED or "headerlink" in classes:
            self._skip_depth += 1
        self._open.append(tag)
        if tag in ("h1", *_HEADINGS, "p"):
            self._current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._open:
            return
        while self._open:
            closed = self._open.pop()
            if self._skip_depth:
                self._skip_depth -= 1
            if closed == tag:
                break
        if not self._article_depth:
            return
        text = " ".join("".join(self._current).split())
        if tag == "h1" and not self.title:
            self.title = text
        elif tag in _HEADINGS and text:
            self.headings.append(text)
        elif tag == "p" and text and not self.summary:
            self.summary = text
        if tag == "article":
            self._article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._article_depth and not self._skip_depth:
            self._current.append(data)
            self.prose.append(data)


def _page_url(site_dir: Path, page: Path) -> str:
    relative = page.relative_to(site_dir).as_posix()
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative.removesuffix("index.html")
    return "/" + relative


def page_record(url: str, html: str) -> SearchRecord | None:
    """The record of one built page, or None for a page without an article (a redirect, 404)."""
    reader = _ArticleText()
    reader.feed(html)
    reader.close()
    if not reader.title:
        return None
    summary = reader.summary if len(reader.summary) <= SUMMARY_CHARS else reader.summary[:SUMMARY_CHARS - 1] + "…"
    prose = " ".join(" ".join(reader.prose).split())
    body = (f'<h1 data-pagefind-weight="{TITLE_WEIGHT}" data-pagefind-meta="title">{html_text(reader.title)}</h1>\n'
            f'<p data-pagefind-weight="{SUMMARY_WEIGHT}" data-pagefind-meta="summary">{html_text(summary)}</p>\n'
            f'<p data-pagefind-weight="{HEADING_WEIGHT}">{html_text(" · ".join(reader.headings))}</p>\n'
            f'<div data-pagefind-weight="{PROSE_WEIGHT}">{html_text(prose)}</div>\n')
    document = f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"></head><body>\n{body}</body></html>\n'
    return SearchRecord(url, document)


def page_records(site_dir: Path) -> list[SearchRecord]:
    """A record for every built page with an article, in path order."""
    records = []
    for page in sorted(site_dir.rglob("*.html")):
        if page.name == "404.html" or SEARCH_FOLDER in page.relative_to(site_dir).parts:
            continue
        record = page_record(_page_url(site_dir, page), page.read_text(encoding="utf-8"))
        if record is not None:
            records.append(record)
    return records


def index_site_pages(site_dir: Path) -> None:
    """Write ``<site>/pagefind/`` from the site's own pages."""
    write_search_index(page_records(site_dir), site_dir / SEARCH_FOLDER)
