"""The preview's HTTP server: the preview folder, plus live reload over Server-Sent Events.

Pages are served as the full build wrote them, with one addition made while
sending (never on disk): ``<script src="/.patternbook/live-reload.js">`` before
``</body>``. It is a file of our own origin, so the site's Content-Security-Policy
(``script-src 'self'``, ``connect-src 'self'``) allows it unchanged: the preview
needs no relaxed policy. The script opens ``/.patternbook/events?since=N``, where
N is the number of the last change the server had made when it sent the page,
so a change made between sending the page and the script connecting is not
missed; it reloads when a change touches the page it shows.

The server answers only requests addressed to it by a name it was bound to
(:class:`AcceptedHosts`): a page on another site whose name is made to resolve to
this machine (DNS rebinding) is refused, so it can read neither the preview nor
its event stream. Every request gets an HTTP answer, whatever its path holds, and
every redirect stays on this origin (:func:`same_origin_location`).
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import ipaddress
import json
import logging
import mimetypes
import socket
import sys
import threading
import traceback
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from patternbook.errors import UsageError
from patternbook.escaping import terminal_text

__all__ = ["RELOAD_SCRIPT_PATH", "AcceptedHosts", "ChangeLog", "PreviewServer", "open_preview_server",
           "same_origin_location"]

log = logging.getLogger("patternbook.preview")

RELOAD_SCRIPT_PATH = "/.patternbook/live-reload.js"
EVENTS_PATH = "/.patternbook/events"
#: Seconds between keep-alive comments on an idle event stream (and checks for shutdown).
KEEP_ALIVE = 10.0
RELOAD_SCRIPT = Path(__file__).with_name("live-reload.js")
#: The names a loopback-bound preview answers to, as a Host header spells them.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
#: Longest file name (bytes) and path Linux accepts: a longer request path names no file.
NAME_MAX, PATH_MAX = 255, 4096
#: Characters a path segment keeps unencoded in a Location: RFC 3986 ``pchar`` minus nothing
#: that could end the segment (``/``), be read as one (``\\``) or be stripped by a browser.
_SEGMENT_SAFE = "!$&'()*+,;=:@"
_QUERY_SAFE = _SEGMENT_SAFE + "/?%"


class ChangeLog:
    """Numbered lists of changed site paths, for the event streams to send."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._changes: list[list[str]] = []
        self.closed = False

    @property
    def latest(self) -> int:
        with self._condition:
            return len(self._changes)

    def publish(self, site_paths: list[str]) -> None:
        """Announce changed files (site paths such as ``patterns/x/index.html``) as page URLs."""
        urls = sorted({"/" + (p[: -len("index.html")] if p.endswith("index.html") else p) for p in site_paths})
        if not urls:
            return
        with self._condition:
            self._changes.append(urls)
            self._condition.notify_all()

    def wait_after(self, seen: int, timeout: float) -> tuple[int, list[str]]:
        """The URLs changed after change number ``seen`` (waiting up to ``timeout`` for one)."""
        with self._condition:
            self._condition.wait_for(lambda: len(self._changes) > seen or self.closed, timeout=timeout)
            urls = sorted({url for change in self._changes[seen:] for url in change})
            return len(self._changes), urls

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()


@dataclass(frozen=True)
class AcceptedHosts:
    """The Host header values the preview answers to.

    DNS rebinding points a name the attacker owns at this machine, so the attacker's page
    reaches the preview as same-origin, but its requests still carry the attacker's name in
    Host. Only names the preview was bound to are answered: the ``-a`` host as written, and on
    loopback ``localhost``, ``127.0.0.1`` and ``[::1]``. Bound to every interface (``0.0.0.0``,
    ``::``), it also answers to any IP address literal, which no rebinding can produce. The port
    is not compared: the name is what rebinding changes, and a forwarded port (``ssh -L``,
    a container's published port) legitimately differs from the bound one."""

    names: frozenset[str]
    any_address_literal: bool = False

    @classmethod
    def for_address(cls, host: str, bound: str) -> AcceptedHosts:
        """``host`` as given to ``-a``; ``bound`` the IP address the socket is bound to."""
        address = ipaddress.ip_address(bound.partition("%")[0])
        names = {_host_literal(host), _host_literal(bound)}
        if address.is_loopback or address.is_unspecified:
            names |= LOOPBACK_NAMES
        return cls(frozenset(names), any_address_literal=address.is_unspecified)

    def accepts(self, header: str | None) -> bool:
        name = _host_name(header) if header is not None else None
        if name is None:
            return False
        if name in self.names:
            return True
        if not self.any_address_literal:
            return False
        try:
            ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
        except ValueError:
            return False
        return True

    def describe(self, port: int) -> str:
        return ", ".join(f"http://{name}:{port}/" for name in sorted(self.names))


def _host_literal(host: str) -> str:
    """A host as a Host header spells it: lower case, an IPv6 address in brackets, no final dot."""
    host = host.strip().lower().rstrip(".")
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return host


def _host_name(header: str) -> str | None:
    """The name part of a Host header (``name[:port]``), normalised; None when it is malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        name, port = (header[: end + 1], header[end + 1:]) if end > 0 else ("", "")
    else:
        name, colon, port = header.partition(":")
        port = colon + port
    if port:  # ":" and digits, or ":" alone (RFC 9110 allows an empty port)
        digits = port[1:]
        if port[0] != ":" or (digits and not (digits.isascii() and digits.isdigit())):
            return None
    return name.rstrip(".") or None


@dataclass(frozen=True)
class _Target:
    """A request's path as segments of the site folder, decoded and normalised."""

    parts: tuple[str, ...]
    folder: bool
    """The path ended with ``/`` (or was ``/``): it names a folder's index page."""
    query: str


def parse_target(target: str) -> _Target | None:
    """The request target (``/path?query``, as http.server decoded it: Latin-1) as site path
    segments; None when it cannot name a file of the site: not a path, not UTF-8 once
    percent-decoded, a NUL byte, a segment or path longer than the file system allows.
    ``.`` and ``..`` are resolved against the site's root, never above it."""
    if not target.startswith("/"):
        return None
    raw_path, _, query = target.partition("?")
    try:
        path = urllib.parse.unquote_to_bytes(raw_path.encode("latin-1")).decode("utf-8")
    except UnicodeError:
        return None
    if "\x00" in path or len(path.encode()) > PATH_MAX:
        return None
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if parts:
                parts.pop()
            continue
        if len(segment.encode()) > NAME_MAX:
            return None
        parts.append(segment)
    return _Target(tuple(parts), path.endswith("/") or not parts, query)


def same_origin_location(parts: tuple[str, ...] | list[str], folder: bool, query: str = "") -> str:
    """The only way the preview builds a ``Location``: a path on this origin.

    It starts with one ``/`` followed by neither ``/`` nor ``\\`` (which browsers read as the
    start of another host), and every segment is percent-encoded, so no character a browser
    strips or reinterprets (tab, newline, backslash, ``%``) reaches it raw."""
    path = "/" + "/".join(urllib.parse.quote(part, safe=_SEGMENT_SAFE) for part in parts if part)
    if folder and len(path) > 1:
        path += "/"
    if query:
        path += "?" + urllib.parse.quote(query.encode("latin-1", errors="replace"), safe=_QUERY_SAFE)
    if path[1:2] in ("/", "\\") or not path.isascii() or not path.isprintable():
        raise ValueError(f"not a same-origin path: {path!r}")  # cannot happen: every segment is encoded
    return path


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    #: Seconds a connection may sit without sending its request (or without reading its event
    #: stream): each holds a thread, so one that never speaks is closed instead of kept forever.
    timeout = 60

    def log_message(self, format: str, *args: object) -> None:
        """No request log: the terminal shows the preview's own messages only (and never
        request data raw; see :func:`~patternbook.escaping.terminal_text` for the internal-error report)."""

    def send_response(self, code: int, message: str | None = None) -> None:
        self._responded = True
        super().send_response(code, message)

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        self._responded = False
        try:
            self._answer(head)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception:  # a bug of ours: the browser still gets an answer, the terminal a clean report
            self.close_connection = True
            report = "\n".join(terminal_text(line) for line in traceback.format_exc().splitlines())
            log.error("internal error answering %s %s:\n%s", terminal_text(self.command),
                      terminal_text(self.path), report)
            if not self._responded:
                with contextlib.suppress(OSError):
                    self._send(500, b"Internal error in the preview server\n", "text/plain; charset=utf-8", head)

    def _answer(self, head: bool) -> None:
        server = self.server
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not server.accepted_hosts.accepts(hosts[0]):
            self.close_connection = True
            body = (f"This preview answers only to {server.accepted_hosts.describe(server.port)} "
                    "(the request named another host). To use another name, start it with "
                    "'patternbook serve -a NAME:PORT'.\n").encode()
            self._send(421, body, "text/plain; charset=utf-8", head)
            return
        target = parse_target(self.path)
        if target is None:
            self._send(404, b"Not found\n", "text/plain; charset=utf-8", head)
            return
        if target.parts == tuple(EVENTS_PATH.strip("/").split("/")) and not target.folder:
            self._events(urllib.parse.parse_qs(target.query))
            return
        if target.parts == tuple(RELOAD_SCRIPT_PATH.strip("/").split("/")) and not target.folder:
            self._send(200, RELOAD_SCRIPT.read_bytes(), "text/javascript; charset=utf-8", head)
            return
        seen = server.changes.latest  # before reading the file: a later change is still announced
        page = self._resolve(target.parts, target.folder)
        if page is None and not target.folder and self._resolve(target.parts, folder=True) is not None:
            self.send_response(301)
            self.send_header("Location", same_origin_location(target.parts, folder=True, query=target.query))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if page is None:
            status, page = 404, self._resolve(("404.html",), folder=False)
            if page is None:
                self._send(404, b"Not found\n", "text/plain; charset=utf-8", head)
                return
        try:
            stat = page.stat()
            kind = mimetypes.guess_type(page.name)[0] or "application/octet-stream"
            tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            if status == 200 and kind != "text/html" and self.headers.get("If-None-Match") == tag:
                # Theme scripts and styles are asked again on every reload: unchanged ones cost a 304.
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            body = page.read_bytes()
        except OSError:
            self._send(404, b"Not found\n", "text/plain; charset=utf-8", head)
            return
        if kind == "text/html":
            body = inject_reload_script(body, seen)
            kind += "; charset=utf-8"
            tag = None
        self._send(status, body, kind, head, tag)

    def _resolve(self, parts: tuple[str, ...], folder: bool) -> Path | None:
        """The file of the site folder that ``parts`` names, if there is one; a folder named
        without its final ``/`` is None (answered with a redirect to the folder)."""
        root = self.server.site_dir
        target = root.joinpath(*parts)
        # Anything the file system objects to (a name too long, no permission, a symlink loop,
        # which Path.resolve reports as RuntimeError) means: no such page.
        try:
            if folder or target.is_dir():
                if not folder:
                    return None
                target = target / "index.html"
            target.resolve().relative_to(root.resolve())
            return target if target.is_file() else None
        except (OSError, ValueError, RuntimeError):
            return None

    def _send(self, status: int, body: bytes, kind: str, head: bool, tag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if tag is not None:
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "no-cache")  # kept, but asked again every time
        else:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, query: dict[str, list[str]]) -> None:
        changes = self.server.changes
        try:  # a reconnecting EventSource says what it last received
            seen = int(self.headers.get("Last-Event-ID") or (query.get("since") or ["0"])[0])
        except ValueError:
            seen = 0
        seen = min(max(seen, 0), changes.latest)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(b"retry: 500\n\n")
        self.wfile.flush()
        while not changes.closed:
            latest, urls = changes.wait_after(seen, KEEP_ALIVE)
            if changes.closed:
                break
            if latest > seen:
                seen = latest
                self.wfile.write(f"id: {seen}\nevent: change\ndata: {json.dumps(urls)}\n\n".encode())
            else:
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()


def inject_reload_script(html: bytes, seen: int) -> bytes:
    tag = f'<script src="{RELOAD_SCRIPT_PATH}" data-since="{seen}"></script>'.encode()
    end = html.rfind(b"</body>")
    return html[:end] + tag + html[end:] if end >= 0 else html + tag


class PreviewServer(http.server.ThreadingHTTPServer):
    """Bound on construction (see :func:`open_preview_server`); ``serve_forever`` answers."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site_dir: Path, changes: ChangeLog,
                 family: socket.AddressFamily = socket.AF_INET, host: str | None = None) -> None:
        self.address_family = family
        self.site_dir = site_dir
        self.changes = changes
        super().__init__(address, _Handler)
        self.accepted_hosts = AcceptedHosts.for_address(host or address[0], self.server_address[0])

    @property
    def port(self) -> int:
        return self.server_address[1]

    def handle_error(self, request: object, client_address: object) -> None:
        """An error outside a request's answer (reading it, a dropped connection): a closed
        connection is routine; anything else is reported without request data raw."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        report = "\n".join(terminal_text(line) for line in traceback.format_exc().splitlines())
        log.error("internal error in the preview server:\n%s", report)


def _why_not(error: OSError) -> str:
    if isinstance(error, socket.gaierror):
        return "the host is not an address and does not resolve to one"
    reasons = {
        errno.EADDRINUSE: "the port is in use (another preview or server is running there)",
        errno.EADDRNOTAVAIL: "it is not an address of this machine",
        errno.EACCES: "permission denied (ports below 1024 need privileges)",
        errno.EAFNOSUPPORT: "this machine does not support that address family",
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


def open_preview_server(host: str, port: int, site_dir: Path, changes: ChangeLog) -> PreviewServer:
    """Bind the preview's socket (before anything is built, so a wrong ``-a`` costs no build).
    ``host`` is a name or an address, an IPv6 one with or without brackets.
    Raises :class:`UsageError` naming the address and why it cannot be served on."""
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    shown = f"[{bare}]:{port}" if ":" in bare else f"{bare}:{port}"
    try:
        if not 0 <= port <= 65535:
            raise UsageError(f"cannot serve on {terminal_text(shown)}: the port is not between 0 and 65535")
        family, _, _, _, address = socket.getaddrinfo(bare, port, type=socket.SOCK_STREAM)[0]
        return PreviewServer((address[0], port), site_dir, changes, family=family, host=bare)
    except (OSError, UnicodeError, ValueError) as error:
        reason = _why_not(error) if isinstance(error, OSError) else "it is not a host name or address"
        raise UsageError(f"cannot serve on {terminal_text(shown)}: {reason}") from None
