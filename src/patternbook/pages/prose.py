"""Contributor Markdown → HTML that cannot carry script.

``solution.md`` is rendered here with a small, fixed set of extensions rather
than by the site's Markdown pipeline: extensions such as ``attr_list`` would let
prose add arbitrary attributes (``{: onclick=… }``), and ``pymdownx.snippets``
would let it include files. The result then goes through nh3 (the ammonia
sanitiser) with an allowlist of tags, attributes and URL schemes. Validation
already rejects raw HTML and bad links with positions; this is the second wall.
"""

from __future__ import annotations

import re

from patternbook.validation.markdown_rules import PROSE_MARKDOWN_EXTENSIONS, url_is_allowed

__all__ = ["render_prose"]

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "del",
}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "code": {"class"}}
_URL_SCHEMES = {"https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _drop_disallowed_urls(tag: str, attribute: str, value: str) -> str | None:
    # nh3 keeps protocol-relative URLs (//host/) as "relative"; they leave the site, so they go.
    if attribute in ("href", "src") and not url_is_allowed(value):
        return None
    return value


def _demote(html: str, levels: int) -> str:
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + levels)}", html)


def render_prose(markdown_text: str, *, demote_headings: int = 1) -> str:
    """Render Markdown prose to sanitised HTML, headings shifted down a level so
    a document's ``##`` sections sit under the page's own ``##`` heading."""
    import markdown
    import nh3

    html = markdown.markdown(markdown_text, extensions=list(PROSE_MARKDOWN_EXTENSIONS),
                             output_format="html")
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                      link_rel="noopener noreferrer nofollow", strip_comments=True,
                      attribute_filter=_drop_disallowed_urls)
    return _demote(clean, demote_headings)
