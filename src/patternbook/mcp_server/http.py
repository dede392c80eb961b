"""``patternbook mcp --http``: the same read-only server over MCP's streamable HTTP transport.

Stdio reaches only the process that started the server; HTTP reaches anything that
can open a connection, browsers on any web page included. So:

- It binds the loopback interface unless ``--allow-remote`` says otherwise, and the
  address is checked before the catalogue is even read (:func:`check_bind`), so a
  mistyped ``0.0.0.0`` fails at once, with exit status 2, instead of publishing.
- Requests must name the bound address in ``Host`` (and, when a browser sends one, in
  ``Origin``): a web page that re-points its own host name at 127.0.0.1 (DNS
  rebinding) sends its own name and is refused. The check is the SDK's own
  (:class:`~mcp.server.transport_security.TransportSecuritySettings`, answering 421
  and 403), given the exact port rather than the SDK's loopback default of any port.
- Nothing is kept between requests (stateless, JSON answers): a read-only catalogue
  needs no sessions, and a client cannot make the server hold memory for it.

The socket is bound here (:func:`listen`), before the catalogue is read and the app
is built, so that ``:0`` (any free port) still gets the exact port into the allowed
``Host`` values, and so that "address in use" is a one-line usage error at once
rather than a traceback from inside the server.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from patternbook.errors import UsageError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.transport_security import TransportSecuritySettings

__all__ = ["MCP_HTTP_PATH", "HttpEndpoint", "check_bind", "is_loopback", "listen", "serve_http",
           "transport_security"]

MCP_HTTP_PATH = "/mcp"
#: Requests carry a tool name and a few short arguments; anything near this size is not one of ours.
MAX_REQUEST_BYTES = 64 * 1024
#: The names a client on this machine may use for a loopback address.
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class HttpEndpoint:
    """Where to listen, and who else besides the bound address may be named in requests."""

    host: str
    """As given: an IP address (IPv6 without brackets) or a name."""
    port: int
    allow_remote: bool = False
    extra_hosts: tuple[str, ...] = field(default=())
    """More accepted ``Host`` values (``--allow-host``), e.g. the name a remote bind is reached by."""
    extra_origins: tuple[str, ...] = field(default=())
    """More accepted ``Origin`` values (``--allow-origin``), e.g. a browser-based MCP client's page."""


def is_loopback(host: str) -> bool:
    """Only this machine can reach ``host``: ``localhost`` or a loopback IP. Any other name could
    resolve anywhere, so it counts as remote."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(endpoint: HttpEndpoint) -> None:
    """Refuse an address other machines could reach unless ``--allow-remote`` asked for one."""
    if not endpoint.allow_remote and not is_loopback(endpoint.host):
        raise UsageError(f"--http {endpoint.host}: refusing to serve beyond this machine (the server has no "
                         "authentication); bind 127.0.0.1, or add --allow-remote if every client that can reach "
                         "this address may read the catalogue")


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def transport_security(endpoint: HttpEndpoint, port: int) -> TransportSecuritySettings:
    """The SDK's DNS-rebinding protection for the bound address and port: ``Host`` must be the
    bound host, a loopback name (a local client may use any) or an ``--allow-host`` value;
    ``Origin``, when sent, the same as an ``http://`` origin or an ``--allow-origin`` value."""
    from mcp.server.transport_security import TransportSecuritySettings

    # A wildcard bind (0.0.0.0, ::) is reached by names of its own: those come from --allow-host.
    bound = [] if _is_unspecified(endpoint.host) else [_url_host(endpoint.host)]
    names = list(dict.fromkeys([*bound, *_LOOPBACK_NAMES]))
    hosts = [f"{name}:{port}" for name in names] + (names if port == 80 else [])
    origins = [f"http://{host}" for host in hosts]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[*hosts, *endpoint.extra_hosts],
        allowed_origins=[*origins, *endpoint.extra_origins],
    )


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a usage error naming the address (in use, not this machine's, unknown)."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind, protocol)
    except OSError as error:
        raise UsageError(f"--http {_url_host(host)}:{port}: cannot listen there ({error.strerror or error})") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise UsageError(f"--http {_url_host(host)}:{port}: cannot listen there ({error.strerror or error})") from None
    return listener


def listen(endpoint: HttpEndpoint) -> socket.socket:
    """The listening socket for ``endpoint``, refused (:func:`check_bind`) or failing as a usage error."""
    check_bind(endpoint)
    return _bind(endpoint.host, endpoint.port)


def serve_http(server: MCPServer, endpoint: HttpEndpoint, listener: socket.socket,
               announce: Sequence[str] = ()) -> None:
    """Answer on ``listener`` (from :func:`listen`) until interrupted (Ctrl+C or SIGTERM). The
    address, with the real port, is printed to stderr first, so a script can wait for that line."""
    import uvicorn

    port = listener.getsockname()[1]
    app = server.streamable_http_app(
        streamable_http_path=MCP_HTTP_PATH, json_response=True, stateless_http=True,
        max_request_body_size=MAX_REQUEST_BYTES, transport_security=transport_security(endpoint, port),
        host=endpoint.host)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, lifespan="on")
    for line in announce:
        print(line, file=sys.stderr)
    if _is_unspecified(endpoint.host) and not endpoint.extra_hosts:
        print(f"patternbook mcp: listening on every interface, but only requests naming a loopback address in "
              f"Host are answered; add --allow-host NAME:{port} for the name remote clients use", file=sys.stderr)
    print(f"patternbook mcp: listening on http://{_url_host(endpoint.host)}:{port}{MCP_HTTP_PATH} "
          "(read-only; Ctrl+C stops it)", file=sys.stderr, flush=True)
    uvicorn.Server(config).run(sockets=[listener])
