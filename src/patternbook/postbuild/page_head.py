"""Marks every built HTML page, whichever engine wrote it: a link to the change
feed in ``<head>`` and, for a pull-request preview, ``noindex`` plus a visible banner.

Done on the finished HTML rather than in theme templates so that every engine
(and a catalogue's own template overrides) gets the same result.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from patternbook.postbuild.feed import FEED_PATH

if TYPE_CHECKING:
    from patternbook.postbuild.context import PostBuildContext

__all__ = ["PREVIEW_BANNER_CLASS", "annotate_page", "annotate_pages"]

PREVIEW_BANNER_CLASS = "pb-preview-banner"
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def _head_links(context: PostBuildContext, page: Path) -> str:
    feed_title = html.escape(f"{context.site_name}: what changed")
    # Only the feed is a <link rel="alternate">: Material's JavaScript takes every such link for a
    # language version and fetches sitemap.xml beside its target, so a pattern's Markdown and JSON
    # are linked from the page body instead (templates/pattern.md.j2).
    links = [f'<link rel="alternate" type="application/atom+xml" title="{feed_title}" '
             f'href="{_relative(context.site_dir / FEED_PATH, page)}">']
    if context.build.preview_pull_request:
        links.append('<meta name="robots" content="noindex, nofollow">')
    return "".join(links)


def _banner(number: str) -> str:
    return (f'<div class="{PREVIEW_BANNER_CLASS}" role="note">Preview of pull request {number}: '
            "not the published library.</div>")


def annotate_page(context: PostBuildContext, page: Path, text: str) -> str | None:
    """The HTML of ``page`` (a file of the site) with its head links and banner; None for a fragment.
    A preview that re-renders one page calls this on it alone."""
    preview = context.build.preview_pull_request
    head_end = _HEAD_END.search(text)
    if head_end is None:
        return None
    changed = text[:head_end.start()] + _head_links(context, page) + text[head_end.start():]
    if preview:
        body = _BODY_START.search(changed, head_end.start())
        if body is not None:
            changed = changed[:body.end()] + _banner(preview) + changed[body.end():]
    return changed


def annotate_pages(context: PostBuildContext) -> None:
    for page in sorted(context.site_dir.rglob("*.html")):
        changed = annotate_page(context, page, page.read_text(encoding="utf-8", errors="surrogateescape"))
        if changed is not None:
            page.write_text(changed, encoding="utf-8", errors="surrogateescape")
    if context.build.preview_pull_request:
        # Crawlers that ignore the meta tag still read robots.txt.
        (context.site_dir / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
