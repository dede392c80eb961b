"""What the tests of running servers (`mkdocs serve`, `patternbook serve`) share: a free port,
a fetch that answers None while the server is not up, a bounded wait, and a raw request
(target and Host sent verbatim) for what a browser would never send."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_until(condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


@dataclass
class RawAnswer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def raw_request(port: int, target: bytes, host: bytes | None = b"127.0.0.1", *, method: bytes = b"GET",
                headers: bytes = b"", read_body: bool = True) -> RawAnswer:
    """One request with its target and Host sent byte for byte as given (urllib and http.client
    would quote the path and supply a Host of their own). ``host=None`` sends no Host header;
    ``headers`` are further raw header lines, each ending in CRLF. A server that drops the
    connection instead of answering fails the test (http.client.RemoteDisconnected)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(method + b" " + target + b" HTTP/1.1\r\n"
                           + (b"Host: " + host + b"\r\n" if host is not None else b"")
                           + headers + b"Connection: close\r\n\r\n")
        response = http.client.HTTPResponse(connection, method=method.decode())
        response.begin()
        body = response.read() if read_body else b""
        response.close()
        return RawAnswer(response.status, response.headers, body)
