"""The preview's HTTP server: the preview folder, plus live reload over Server-Sent Events.

Pages are served as the full build wrote them, with one addition made while
sending (never on disk): ``<script src="/.patternbook/live-reload.js">`` before
``</body>``. It is a file of our own origin, so the site's Content-Security-Policy
(``script-src 'self'``, ``connect-src 'self'``) allows it unchanged: the preview
needs no relaxed policy. The script opens ``/.patternbook/events?since=N``, where
N is the number of the last change the server had made when it sent the page,
so a change made between sending the page and the script connecting is not
missed; it reloads when a change touches the page it shows.
"""

from __future__ import annotations

import http.server
import json
import mimetypes
import posixpath
import threading
import urllib.parse
from pathlib import Path

__all__ = ["RELOAD_SCRIPT_PATH", "ChangeLog", "PreviewServer"]

RELOAD_SCRIPT_PATH = "/.patternbook/live-reload.js"
EVENTS_PATH = "/.patternbook/events"
#: Seconds between keep-alive comments on an idle event stream (and checks for shutdown).
KEEP_ALIVE = 10.0
RELOAD_SCRIPT = Path(__file__).with_name("live-reload.js")


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


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._events(urllib.parse.parse_qs(url.query))
            return
        if url.path == RELOAD_SCRIPT_PATH:
            self._send(200, RELOAD_SCRIPT.read_bytes(), "text/javascript; charset=utf-8", head)
            return
        seen = self.server.changes.latest  # before reading the file: a later change is still announced
        target = self._resolve(url.path)
        if target is None and not url.path.endswith("/") and self._resolve(url.path + "/") is not None:
            self.send_response(301)
            self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if target is None:
            status, target = 404, self._resolve("/404.html")
            if target is None:
                self._send(404, b"Not found\n", "text/plain; charset=utf-8", head)
                return
        try:
            stat = target.stat()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            if status == 200 and kind != "text/html" and self.headers.get("If-None-Match") == tag:
                # Theme scripts and styles are asked again on every reload: unchanged ones cost a 304.
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            body = target.read_bytes()
        except OSError:
            self._send(404, b"Not found\n", "text/plain; charset=utf-8", head)
            return
        if kind == "text/html":
            body = inject_reload_script(body, seen)
            kind += "; charset=utf-8"
            tag = None
        self._send(status, body, kind, head, tag)

    def _resolve(self, path: str) -> Path | None:
        root = self.server.site_dir
        parts = [p for p in posixpath.normpath(urllib.parse.unquote(path)).split("/") if p not in ("", ".", "..")]
        target = root.joinpath(*parts)
        if path.endswith("/") or target.is_dir():
            if not path.endswith("/") and target.is_dir():
                return None  # answered with a redirect to the folder
            target = target / "index.html"
        try:
            target.resolve().relative_to(root.resolve())
        except ValueError:
            return None
        return target if target.is_file() else None

    def _send(self, status: int, body: bytes, kind: str, head: bool, tag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if tag is not None:
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "no-cache")  # kept, but asked again every time
        else:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, query: dict[str, list[str]]) -> None:
        try:  # a reconnecting EventSource says what it last received
            seen = int(self.headers.get("Last-Event-ID") or (query.get("since") or ["0"])[0])
        except ValueError:
            seen = 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        changes = self.server.changes
        try:
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
        except (BrokenPipeError, ConnectionResetError):
            pass


def inject_reload_script(html: bytes, seen: int) -> bytes:
    tag = f'<script src="{RELOAD_SCRIPT_PATH}" data-since="{seen}"></script>'.encode()
    end = html.rfind(b"</body>")
    return html[:end] + tag + html[end:] if end >= 0 else html + tag


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site_dir: Path, changes: ChangeLog) -> None:
        self.site_dir = site_dir
        self.changes = changes
        super().__init__(address, _Handler)
