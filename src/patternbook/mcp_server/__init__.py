"""``patternbook mcp``: a read-only Model Context Protocol server, over stdio or
streamable HTTP (:mod:`patternbook.mcp_server.http`).

The only package that imports the ``mcp`` SDK, and only when the command runs.
The catalogue is validated once at start-up and served from memory: tools take
slugs, ids and words, never paths, so nothing outside the catalogue is ever
read, and every tool is marked read-only. Arguments are checked against the
schema each tool publishes (lengths, slug shape, closed vocabularies) before a
tool runs; a name the catalogue does not know is a tool error that lists what
it does know. Each bundle is also a resource (:mod:`patternbook.mcp_server.resources`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from patternbook.catalogue import Catalogue
from patternbook.mcp_server import queries
from patternbook.schema.terms import IacTool, Pillar, Status

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from patternbook.mcp_server.http import HttpEndpoint

__all__ = ["TOOL_NAMES", "build_server", "load_catalogue", "serve"]

TOOL_NAMES = ("search_patterns", "get_pattern", "find_by_symptom", "compare_patterns", "list_anti_patterns")

SlugArgument = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64,
                                    description="a pattern's slug, e.g. circuit-breaker")]
Iac = IacTool  # the argument's name in the tools' signatures
Facet = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]


def load_catalogue(catalogue_dir: Path) -> Catalogue:
    """Validate the catalogue once; a catalogue with errors is not served half-way."""
    from patternbook.errors import UsageError, ValidationFailed
    from patternbook.loader import CATALOGUE_FILE
    from patternbook.validation import validate_paths

    if not (catalogue_dir / CATALOGUE_FILE).is_file():
        raise UsageError(f"{catalogue_dir}: not a catalogue folder (no {CATALOGUE_FILE})")
    report = validate_paths([catalogue_dir])
    if report.catalogue is None or report.errors:
        raise ValidationFailed(report.errors)
    return Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)


def build_server(catalogue: Catalogue) -> MCPServer:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp_types import ToolAnnotations

    from patternbook import __version__

    server = MCPServer(
        name="patternbook",
        version=__version__,
        log_level="WARNING",
        instructions=(
            "Architecture patterns that each answer five questions: the pressure that makes the shape necessary, "
            "when not to use it, its failure edges (what breaks first), what it costs and what it takes to "
            "operate. Search or find by symptom, then get_pattern for the full answers; compare_patterns puts "
            "alternatives side by side. Each pattern and anti-pattern is also a resource to read whole: "
            "pattern://SLUG as Markdown, pattern://SLUG/json as data."),
    )
    read_only = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False)

    def answer(function, *arguments: Any, **options: Any) -> dict[str, Any]:
        try:
            return function(catalogue, *arguments, **options)
        except queries.CatalogueQueryError as error:
            raise ToolError(str(error)) from None

    @server.tool(annotations=read_only)
    def search_patterns(
        query: Annotated[str, Field(max_length=200, description="words to look for; empty lists everything")] = "",
        category: Facet | None = None,
        tag: Facet | None = None,
        pillar: Pillar | None = None,
        status: Status | None = None,
        iac: Annotated[Iac | None, Field(description="companion repositories in this IaC tool")] = None,
        ring: Annotated[Facet | None, Field(description="adoption ring id from catalogue.yaml (adopt, trial, ...)")]
        = None,
        limit: Annotated[int, Field(ge=1, le=100)] = 20,
    ) -> dict[str, Any]:
        """Search the catalogue by words and facets (category, tag, pillar, status, IaC tool, adoption ring);
        best match first."""
        return answer(queries.search_patterns, query, category=category, tag=tag, pillar=pillar, status=status,
                      iac=iac, ring=ring, limit=limit)

    @server.tool(annotations=read_only)
    def get_pattern(slug: SlugArgument) -> dict[str, Any]:
        """One pattern with its five answers (pressure, when not to use it, failure edges in order, cost,
        operations) as structured data, plus its solution, repositories and relations. An anti-pattern's
        slug answers with its signals, failure edges and the patterns to refactor toward; ``kind`` says which."""
        return answer(queries.get_pattern, slug)

    @server.tool(annotations=read_only)
    def find_by_symptom(
        symptom: Annotated[str, Field(min_length=2, max_length=200,
                                      description="a symptom id, or the problem in your own words")],
    ) -> dict[str, Any]:
        """Patterns that answer a problem, best first (named earlier in their pressure, more proven, more focused)."""
        return answer(queries.find_by_symptom, symptom)

    @server.tool(annotations=read_only)
    def compare_patterns(slugs: Annotated[list[SlugArgument], Field(min_length=2, max_length=6)]) -> dict[str, Any]:
        """Two to six patterns side by side: cost range (as stated, and per month with the range computed from
        list prices where the drivers are priced), pillars, failure edges and operational burden."""
        return answer(queries.compare_patterns, slugs)

    @server.tool(annotations=read_only)
    def list_anti_patterns() -> dict[str, Any]:
        """Anti-patterns the catalogue describes, with the patterns to refactor toward (empty when it has none)."""
        return answer(queries.anti_patterns)

    from patternbook.mcp_server.resources import register_resources

    register_resources(server, catalogue)
    return server


def serve(catalogue_dir: Path, http: HttpEndpoint | None = None) -> None:
    """Over stdio (``http`` None): run until the client closes stdin; diagnostics go to stderr,
    stdout is the protocol. Over HTTP: listen on ``http`` until interrupted."""
    if http is None:
        catalogue = load_catalogue(catalogue_dir)
        server = build_server(catalogue)
        print(f"patternbook mcp: serving {len(catalogue.entries)} bundles from {catalogue_dir}", file=sys.stderr)
        server.run("stdio")
        return
    from patternbook.mcp_server.http import listen, serve_http

    # Bound before the catalogue is read: a refused or busy address fails at once.
    with listen(http) as listener:
        catalogue = load_catalogue(catalogue_dir)
        serve_http(build_server(catalogue), http, listener,
                   announce=[f"patternbook mcp: serving {len(catalogue.entries)} bundles from {catalogue_dir}"])
