"""``patternbook mcp``: its options, and turning them into the server's settings.

Its own module because the HTTP transport brought an address and three opt-ins
with it. Imported when the parser is built, so it imports nothing but argparse;
the server (and the ``mcp`` SDK) are imported when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["MCP_HTTP_ADDRESS", "add_mcp_command", "run_mcp"]

#: Where ``--http`` without a value listens: loopback only.
MCP_HTTP_ADDRESS = ("127.0.0.1", 8765)


def host_port(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``[IPV6]:PORT`` or a bare ``PORT`` (on 127.0.0.1) as (host, port)."""
    host, port = ("127.0.0.1", text) if text.isascii() and text.isdigit() else text.rpartition(":")[::2]
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    # isascii: int('²') would raise; the range is checked here rather than left to bind().
    if not host or any(c in host for c in "[]/ ") or not (port.isascii() and port.isdigit()) or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not HOST:PORT (for example 127.0.0.1:8765; port 0 picks a "
                                         "free one)")
    return host, int(port)


def add_mcp_command(commands: Any) -> None:
    """The ``mcp`` subcommand on ``commands`` (the parser's subparsers)."""
    mcp = commands.add_parser(
        "mcp", help="serve the catalogue to assistants over the Model Context Protocol (stdio or HTTP, read-only)",
        description="Run a read-only MCP server with tools to search patterns, get one with its five answers, "
                    "find patterns by symptom, compare patterns and list anti-patterns, and every pattern and "
                    "anti-pattern as a resource: pattern://SLUG (Markdown) and pattern://SLUG/json. It speaks on "
                    "stdin/stdout unless --http is given. The catalogue is validated once at start-up; nothing "
                    "outside it is read. Exit status: 1 invalid catalogue, 2 usage error (a refused or busy "
                    "address included).")
    mcp.add_argument("--catalogue", type=Path, default=Path("patterns"), metavar="DIR",
                     help="the catalogue folder (default: patterns)")
    mcp.add_argument("--http", nargs="?", type=host_port, const=MCP_HTTP_ADDRESS, metavar="HOST:PORT",
                     help="serve the streamable HTTP transport at http://HOST:PORT/mcp instead of stdio; without a "
                          "value 127.0.0.1:8765, a bare PORT means 127.0.0.1:PORT, port 0 picks a free one (the "
                          "address is printed to stderr). Requests whose Host or Origin header names another "
                          "address are refused (DNS rebinding)")
    mcp.add_argument("--allow-remote", action="store_true",
                     help="with --http, allow an address other machines can reach (0.0.0.0, a LAN address, a host "
                          "name); refused otherwise, since the server has no authentication")
    mcp.add_argument("--allow-host", action="append", default=[], metavar="HOST:PORT",
                     help="with --http, also accept requests whose Host header is HOST:PORT, e.g. the name remote "
                          "clients reach an --allow-remote server by (repeatable)")
    mcp.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                     help="with --http, also accept requests from a web page at ORIGIN, e.g. a browser-based MCP "
                          "client at http://localhost:6274 (repeatable)")


def run_mcp(arguments: argparse.Namespace) -> None:
    """Serve until stdin closes (stdio) or until interrupted (HTTP); an invalid catalogue raises
    :class:`~patternbook.errors.ValidationFailed`, a refused address :class:`~patternbook.errors.UsageError`."""
    from patternbook.errors import UsageError
    from patternbook.mcp_server import serve
    from patternbook.mcp_server.http import HttpEndpoint

    http = None
    if arguments.http is not None:
        http = HttpEndpoint(*arguments.http, allow_remote=arguments.allow_remote,
                            extra_hosts=tuple(arguments.allow_host), extra_origins=tuple(arguments.allow_origin))
    elif arguments.allow_remote or arguments.allow_host or arguments.allow_origin:
        raise UsageError("--allow-remote, --allow-host and --allow-origin apply to --http only")
    serve(arguments.catalogue, http)
