"""Each bundle, of every kind, as an MCP resource: what a client can attach to a
conversation whole, where the tools answer questions about it.

``pattern://{slug}`` is the bundle's Markdown twin (``text/markdown``, the same text
as ``patterns/<slug>.md`` on the site) and ``pattern://{slug}/json`` its JSON twin
(``application/json``, the same as ``patterns/<slug>.json``). Both are resource
templates, so a client that knows a slug can read it; every bundle is also listed
as a concrete ``pattern://{slug}`` resource with its title and summary, so a client
that only browses ``resources/list`` finds them all. A slug the catalogue does not
know is the SDK's "resource not found" protocol error (``-32602``) with the closest
slugs, never a traceback; like the tools, nothing here reads a file.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from patternbook.catalogue import Catalogue
from patternbook.mcp_server import queries
from patternbook.schema import kind_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from mcp.server.mcpserver import MCPServer

__all__ = ["PATTERN_JSON_URI", "PATTERN_URI", "register_resources"]

PATTERN_URI = "pattern://{slug}"
PATTERN_JSON_URI = "pattern://{slug}/json"
MARKDOWN, JSON = "text/markdown", "application/json"


def register_resources(server: MCPServer, catalogue: Catalogue) -> None:
    from mcp.server.mcpserver.exceptions import ResourceNotFoundError
    from mcp.server.mcpserver.resources import FunctionResource

    def content(render: Callable[[Catalogue, str], str], slug: str) -> str:
        try:
            return render(catalogue, slug)
        except queries.CatalogueQueryError as error:
            raise ResourceNotFoundError(str(error)) from None

    # Registered before the JSON template, and it cannot match ".../json" (a slug holds no "/").
    @server.resource(PATTERN_URI, name="pattern", title="A bundle as Markdown", mime_type=MARKDOWN,
                     description="A pattern or anti-pattern by slug, as Markdown: every answer it gives, the "
                                 "same text as patterns/<slug>.md on the site.")
    def pattern_markdown(slug: str) -> str:
        return content(queries.bundle_markdown_text, slug)

    @server.resource(PATTERN_JSON_URI, name="pattern-json", title="A bundle as JSON", mime_type=JSON,
                     description="A pattern or anti-pattern by slug, as structured data: the same document as "
                                 "patterns/<slug>.json on the site and the get_pattern tool.")
    def pattern_json(slug: str) -> str:
        return content(queries.bundle_json_text, slug)

    for slug, bundle in catalogue.entries.items():
        server.add_resource(FunctionResource(
            uri=PATTERN_URI.format(slug=slug), name=slug, title=bundle.title, mime_type=MARKDOWN,
            description=f"{kind_of(bundle).title}: {bundle.summary}",
            fn=partial(content, queries.bundle_markdown_text, slug)))
