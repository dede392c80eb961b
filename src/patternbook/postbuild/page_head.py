"""Marks every built HTML page, whichever engine wrote it: a link to the change
feed in ``<head>``, links to a pattern's Markdown and JSON beside its page, and,
for a pull-request preview, ``noindex`` plus a visible banner.

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
    from patternbook.postbuild import PostBuildContext

__all__ = ["PREVIEW_BANNER_CLASS", "annotate_pages"]

PREVIEW_BANNER_CLASS = "pb-preview-banner"
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def _head_links(context: PostBuildContext, page: Path, pattern_slugs: set[str]) -> str:
    feed_title = html.escape(f"{context.site_name}: what changed")
    links = [f'<link rel="alternate" type="application/atom+xml" title="{feed_title}" '
             f'href="{_relative(context.site_dir / FEED_PATH, page)}">']
    relative = page.relative_to(context.site_dir).as_posix()
    slug = relative.removeprefix("patterns/").removesuffix("/index.html").removesuffix(".html")
    if relative.startswith("patterns/") and slug in pattern_slugs:
        for suffix, media in ((".md", "text/markdown"), (".json", "application/json")):
            href = _relative(context.site_dir / "patterns" / f"{slug}{suffix}", page)
            links.append(f'<link rel="alternate" type="{media}" href="{href}">')
    if context.build.preview_pull_request:
        links.append('<meta name="robots" content="noindex, nofollow">')
    return "".join(links)


def _banner(number: str) -> str:
    return (f'<div class="{PREVIEW_BANNER_CLASS}" role="note">Preview of pull request {number}: '
            "not the published library.</div>")


def annotate_pages(context: PostBuildContext) -> None:
    catalogue = context.build.catalogue
    pattern_slugs = set(catalogue.patterns) if catalogue is not None else set()
    preview = context.build.preview_pull_request
    for page in sorted(context.site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="surrogateescape")
        head_end = _HEAD_END.search(text)
        if head_end is None:
            continue  # a fragment, not a page
        changed = text[:head_end.start()] + _head_links(context, page, pattern_slugs) + text[head_end.start():]
        if preview:
            body = _BODY_START.search(changed, head_end.start())
            if body is not None:
                changed = changed[:body.end()] + _banner(preview) + changed[body.end():]
        page.write_text(changed, encoding="utf-8", errors="surrogateescape")
    if preview:
        # Crawlers that ignore the meta tag still read robots.txt.
        (context.site_dir / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
