"""The preview's HTTP side without a build: change numbering, the reload script tag, and a real
server on a small folder answering what a browser (or a hostile page) sends: only to its own host
names, every path with an HTTP answer, redirects only on its own origin; and an address it cannot
serve on refused before anything is built."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from patternbook.errors import UsageError
from patternbook.escaping import terminal_text
from patternbook.serve.server import (
    RELOAD_SCRIPT_PATH,
    AcceptedHosts,
    ChangeLog,
    PreviewServer,
    inject_reload_script,
    open_preview_server,
    same_origin_location,
)
from tests.mkdocs_plugin.serving import RawAnswer, raw_request


def test_changes_are_announced_as_page_urls_after_the_number_a_page_was_served_at() -> None:
    changes = ChangeLog()
    changes.publish(["patterns/a/index.html", "assets/diagrams/a--overview.svg"])
    seen = changes.latest
    changes.publish(["patterns/b/index.html", "index.html"])
    assert changes.wait_after(0, timeout=0) == (2, ["/", "/assets/diagrams/a--overview.svg", "/patterns/a/",
                                                    "/patterns/b/"])
    assert changes.wait_after(seen, timeout=0) == (2, ["/", "/patterns/b/"])
    changes.publish([])
    assert changes.latest == 2  # nothing changed, nothing announced


def test_a_waiting_stream_wakes_on_a_change_and_on_close() -> None:
    changes = ChangeLog()
    received: list[tuple[int, list[str]]] = []
    waiter = threading.Thread(target=lambda: received.append(changes.wait_after(0, timeout=30)))
    waiter.start()
    changes.publish(["patterns/a/index.html"])
    waiter.join(timeout=10)
    assert received == [(1, ["/patterns/a/"])]
    waiter = threading.Thread(target=lambda: received.append(changes.wait_after(1, timeout=30)))
    waiter.start()
    changes.close()
    waiter.join(timeout=10)
    assert not waiter.is_alive() and received[-1] == (1, [])


def test_the_reload_script_is_an_external_file_placed_before_the_body_ends() -> None:
    html = b"<html><head></head><body><p>x</p></body></html>"
    tagged = inject_reload_script(html, 7)
    assert tagged == (b'<html><head></head><body><p>x</p><script src="' + RELOAD_SCRIPT_PATH.encode()
                      + b'" data-since="7"></script></body></html>')


# -- over real HTTP: one server on a small preview folder, requests sent byte for byte -------------

@dataclass
class Running:
    server: PreviewServer
    site: Path

    @property
    def port(self) -> int:
        return self.server.port

    def get(self, target: bytes, host: bytes | None = b"127.0.0.1", **options: object) -> RawAnswer:
        return raw_request(self.port, target, host, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    site = tmp_path_factory.mktemp("preview") / "site"
    # Folders whose names a browser would read as another host if they reached a Location raw.
    for folder in ("", "patterns/x", "\\evil.example", "\t", "a\nb"):
        (site / folder).mkdir(parents=True, exist_ok=True)
        (site / folder / "index.html").write_text("<html><body>page</body></html>", encoding="utf-8")
    (site / "404.html").write_text("<html><body>missing</body></html>", encoding="utf-8")
    (site / "loop").symlink_to(site / "loop")
    changes = ChangeLog()
    server = open_preview_server("127.0.0.1", 0, site, changes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Running(server, site)
    finally:
        changes.close()
        server.shutdown()
        server.server_close()


#: Every kind of answer the preview gives: pages, the reload script, the event stream, a miss.
PATHS = (b"/", b"/patterns/x/", b"/patterns/x", RELOAD_SCRIPT_PATH.encode(), b"/.patternbook/events?since=0",
         b"/nothing-here")


@pytest.mark.parametrize("host", [
    b"evil.example", b"evil.example:{port}", b"127.0.0.1.evil.example", b"localhost.evil.example:{port}",
    b"evil.example#@localhost", b"localhost@evil.example", b"[::1]evil", b"localhost:80x", b"10.0.0.1", b"",
    None,
], ids=repr)
def test_a_request_for_another_host_name_is_refused_on_every_path(running: Running, host: bytes | None,
                                                                   capfd: pytest.CaptureFixture[str],
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """DNS rebinding: a page on evil.example, its name pointed at 127.0.0.1, must not read the preview."""
    for path in PATHS:
        sent = host.replace(b"{port}", str(running.port).encode()) if host is not None else None
        answer = running.get(path, sent, read_body=not path.startswith(b"/.patternbook/events"))
        assert answer.status == 421, (path, answer.status)
        assert b"page" not in answer.body and "Location" not in answer.headers
    assert capfd.readouterr() == ("", "") and caplog.records == []


def test_two_host_headers_are_refused(running: Running) -> None:
    assert running.get(b"/", b"127.0.0.1", headers=b"Host: evil.example\r\n").status == 421


@pytest.mark.parametrize("host", [b"127.0.0.1", b"127.0.0.1:{port}", b"localhost", b"LocalHost:{port}",
                                  b"localhost.:{port}", b"[::1]:{port}", b"[::1]", b"localhost:8080"], ids=repr)
def test_the_names_of_the_loopback_address_it_is_bound_to_are_answered(running: Running, host: bytes) -> None:
    """With or without the port, and another port too (``ssh -L``, a container's published port)."""
    host = host.replace(b"{port}", str(running.port).encode())
    assert running.get(b"/", host).body.startswith(b"<html><body>page")
    events = running.get(b"/.patternbook/events?since=0", host, read_body=False)
    assert (events.status, events.headers["Content-Type"]) == (200, "text/event-stream")


def test_a_non_loopback_or_wildcard_address_is_answered_as_bound() -> None:
    lan = AcceptedHosts.for_address("192.0.2.7", "192.0.2.7")
    assert lan.accepts("192.0.2.7:8000") and lan.accepts("192.0.2.7")
    assert not any(map(lan.accepts, ["localhost", "127.0.0.1", "evil.example", "192.0.2.8"]))
    named = AcceptedHosts.for_address("box.lan", "192.0.2.7")
    assert named.accepts("box.lan:8000") and named.accepts("BOX.LAN") and named.accepts("192.0.2.7")
    assert not named.accepts("box.lan.evil.example")
    # Every interface: any address literal (no rebinding makes one), loopback names, never another name.
    everywhere = AcceptedHosts.for_address("0.0.0.0", "0.0.0.0")
    assert all(map(everywhere.accepts, ["10.1.2.3:8000", "[fe80::1]:8000", "localhost", "0.0.0.0"]))
    assert not any(map(everywhere.accepts, ["evil.example", "10.1.2.3.evil.example", "fe80::1", "[evil]"]))
    v6 = AcceptedHosts.for_address("::1", "::1")
    assert v6.accepts("[::1]:8000") and v6.accepts("localhost") and not v6.accepts("evil.example")


@pytest.mark.parametrize("target", [
    b"/" + b"a" * 300,  # one segment longer than a file name can be
    b"/patterns/" + b"a" * 256 + b"/index.html",
    b"/" + b"a/" * 3000,  # a path longer than the file system takes
    b"/%zz", b"/%", b"/%ff", b"/\xff\xfe", b"/%c3%28",  # broken percent-encoding, not UTF-8
    b"/%00", b"/patterns/x/\x00", b"/patterns/x/%00/",  # NUL
    b"/loop/", b"/loop/x", b"/index.html/x",  # a symlink loop, a file taken for a folder
    b"http://evil.example/", b"*", b"/.patternbook/events/",
], ids=lambda t: repr(t[:40]))
def test_every_hostile_path_is_answered_without_a_traceback(running: Running, target: bytes,
                                                             capfd: pytest.CaptureFixture[str],
                                                             caplog: pytest.LogCaptureFixture) -> None:
    answer = running.get(target)
    assert answer.status == 404, answer.status
    assert capfd.readouterr() == ("", "") and caplog.records == []


def test_an_over_long_request_line_or_header_is_answered_too(running: Running,
                                                             capfd: pytest.CaptureFixture[str],
                                                             caplog: pytest.LogCaptureFixture) -> None:
    assert running.get(b"/" + b"a" * 70_000).status == 414
    assert running.get(b"/", headers=b"X-Long: " + b"a" * 70_000 + b"\r\n").status == 431
    for split in (b"\t", b" ", b"\x0b"):  # raw whitespace splits the request line: malformed, no redirect
        answer = running.get(b"/" + split + b"/evil.example/../patterns/x")
        assert answer.status == 400 and "Location" not in answer.headers
    assert capfd.readouterr() == ("", "") and caplog.records == []


@pytest.mark.parametrize(("target", "expected"), [
    (b"/patterns/x", "/patterns/x/"),
    (b"/patterns/x?a=1&b=%20", "/patterns/x/?a=1&b=%20"),
    (b"/\\evil.example/../patterns/x", "/patterns/x/"),
    (b"//evil.example/../patterns/x", "/patterns/x/"),
    (b"/%5Cevil.example/../patterns/x", "/patterns/x/"),
    (b"/%2F%2Fevil.example/../patterns/x", "/patterns/x/"),
    (b"/%09/evil.example/../../patterns/x", "/patterns/x/"),
    (b"/%5Cevil.example", "/%5Cevil.example/"),  # a folder of that name: its backslash stays encoded
    (b"/%09", "/%09/"),
    (b"/a%0Ab", "/a%0Ab/"),
    (b"/patterns/x?\\evil\x7f", "/patterns/x/?%5Cevil%7F"),
], ids=repr)
def test_a_redirect_to_a_folder_stays_on_this_origin(running: Running, target: bytes, expected: str) -> None:
    answer = running.get(target)
    assert (answer.status, answer.headers["Location"]) == (301, expected)


@pytest.mark.parametrize("parts", [["\\evil.example"], ["/evil.example"], ["", "evil.example"], ["\t", "x"],
                                   ["\r\nSet-Cookie: a=b"], ["%2F"], ["é"], []], ids=repr)
def test_a_location_is_always_one_slash_then_a_path_on_this_origin(parts: list[str]) -> None:
    location = same_origin_location(parts, folder=True, query="\\\t\r\n")
    assert location.startswith("/") and location[1:2] not in ("/", "\\")
    assert location.isascii() and location.isprintable() and " " not in location


def test_request_data_reaches_the_terminal_only_escaped() -> None:
    assert terminal_text("/a\x1b]0;owned\x07\x1b[2J\u202e\x9b/b\n") == "/a?]0;owned??[2J??/b?"
    assert terminal_text("/patterns/café/") == "/patterns/café/"


# -- an address it cannot serve on: a usage error before any build ---------------------------------

@pytest.mark.parametrize("address", ["127.0.0.1:{busy}", "192.0.2.1:8000", "nosuch.invalid:8000", "[::1]:{busy6}",
                                     "127.0.0.1:65536", "[::1]:99999", "127.0.0.1:²", "127.0.0.1", ":8000"])
def test_an_address_it_cannot_serve_on_exits_2_before_building(tmp_path: Path, address: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from patternbook.cli import EXIT_USAGE, main

    (tmp_path / "mkdocs.yml").write_text("site_name: never built\nplugins:\n  - patternbook\n", encoding="utf-8")
    with socket.socket() as taken, socket.socket(socket.AF_INET6) as taken6:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        taken6.bind(("::1", 0))
        taken6.listen()
        address = address.format(busy=taken.getsockname()[1], busy6=taken6.getsockname()[1])
        status = main(["serve", "-a", address, "--config-file", str(tmp_path / "mkdocs.yml")])
    error = capsys.readouterr().err
    assert status == EXIT_USAGE, error
    assert error.startswith("patternbook: error: ") and error.count("\n") == 1 and "Traceback" not in error
    assert address in error
    assert not (tmp_path / ".cache").exists(), "nothing was built"


def test_the_reason_names_what_is_wrong_with_the_address(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match=re.escape(f"cannot serve on 127.0.0.1:{port}: the port is in use")):
            open_preview_server("127.0.0.1", port, tmp_path, ChangeLog())
    with pytest.raises(UsageError, match=re.escape("192.0.2.1:8000: it is not an address of this machine")):
        open_preview_server("192.0.2.1", 8000, tmp_path, ChangeLog())
    with pytest.raises(UsageError, match=re.escape("nosuch.invalid:8000: the host is not an address")):
        open_preview_server("nosuch.invalid", 8000, tmp_path, ChangeLog())
    server = open_preview_server("[::1]", 0, tmp_path, ChangeLog())
    try:
        assert server.server_address[0] == "::1" and server.accepted_hosts.accepts("[::1]")
    finally:
        server.server_close()
