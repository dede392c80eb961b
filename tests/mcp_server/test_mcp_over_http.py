"""``patternbook mcp --http`` started as a subprocess on the shipped catalogue, on a
free loopback port, and driven by the official SDK's client over streamable HTTP;
raw requests (``http.client``) that name another host or come from another origin
are refused; an address other machines could reach is refused before anything
starts. The server prints its address once its socket listens: the tests wait for
that line, never for a while."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from patternbook.cli import main
from patternbook.mcp_server import TOOL_NAMES
from tests.conftest import PROJECT

pytest.importorskip("mcp")

LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+)/mcp)")
INITIALIZE = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}})


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    """The server's URL and port; stopped (SIGTERM, then killed if it lingers) after the module."""
    process = subprocess.Popen(
        [sys.executable, "-m", "patternbook", "mcp", "--http", "127.0.0.1:0", "--catalogue", str(PROJECT / "patterns")],
        cwd=PROJECT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ))
    lines: queue.Queue[str] = queue.Queue()

    def drain() -> None:  # read stderr to the end, so the server never blocks on a full pipe
        for line in process.stderr:
            lines.put(line)
        lines.put("")

    threading.Thread(target=drain, daemon=True).start()
    seen = []
    deadline = time.monotonic() + 120
    try:
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            seen.append(line)
            if not line:
                pytest.fail(f"the server exited before listening: {''.join(seen)}")
            if found := LISTENING.search(line):
                break
        yield found.group(1), int(found.group(2))
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def _run(coroutine) -> Any:
    # A thread of its own, as in the stdio tests: the worker's main thread may have a loop running.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=120)


@pytest.fixture(scope="module")
def answers(server: tuple[str, int]) -> dict[str, Any]:
    """One session with the SDK's client (its protocol probe, falling back to the handshake) and one with the
    initialize handshake only ("legacy"): what each was answered."""
    from mcp import Client

    async def session(mode: str) -> dict[str, Any]:
        async with Client(server[0], mode=mode, read_timeout_seconds=60) as client:
            return {
                "server": client.server_info,
                "tools": (await client.list_tools()).tools,
                "get": await client.call_tool("get_pattern", {"slug": "circuit-breaker"}),
                "resources": (await client.list_resources()).resources,
                "templates": (await client.list_resource_templates()).resource_templates,
                "read": (await client.read_resource("pattern://circuit-breaker")).contents,
            }

    async def both() -> dict[str, Any]:
        return {"auto": await session("auto"), "legacy": await session("legacy")}

    return _run(both())


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_the_sdk_client_lists_tools_resources_and_templates(answers: dict[str, Any], mode: str) -> None:
    answered = answers[mode]
    assert answered["server"].name == "patternbook"
    assert {tool.name for tool in answered["tools"]} == set(TOOL_NAMES)
    assert "pattern://circuit-breaker" in {resource.uri for resource in answered["resources"]}
    assert {t.uri_template for t in answered["templates"]} == {"pattern://{slug}", "pattern://{slug}/json"}


@pytest.fixture(scope="module")
def circuit_breaker_twin() -> str:
    from patternbook.mcp_server import load_catalogue
    from patternbook.pages.agent_documents import bundle_markdown

    catalogue = load_catalogue(PROJECT / "patterns")
    return bundle_markdown(catalogue.entries["circuit-breaker"], catalogue)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_the_sdk_client_gets_a_pattern_and_reads_its_resource(answers: dict[str, Any], mode: str,
                                                             circuit_breaker_twin: str) -> None:
    answered = answers[mode]
    assert not answered["get"].is_error and answered["get"].structured_content["slug"] == "circuit-breaker"
    [content] = answered["read"]
    assert content.mime_type == "text/markdown" and content.text == circuit_breaker_twin


def _post(port: int, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/mcp", INITIALIZE, headers={
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream", **headers})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize("headers", [{}, {"Host": "localhost:{port}"}, {"Origin": "http://127.0.0.1:{port}"},
                                     {"Origin": "http://localhost:{port}"}])
def test_a_request_naming_the_bound_address_is_answered(server: tuple[str, int], headers: dict[str, str]) -> None:
    port = server[1]
    status, body = _post(port, {name: value.format(port=port) for name, value in headers.items()})
    assert status == 200, body
    assert json.loads(body)["result"]["serverInfo"]["name"] == "patternbook"


@pytest.mark.parametrize(("headers", "status"), [
    ({"Host": "evil.example"}, 421),
    ({"Host": "evil.example:{port}"}, 421),  # DNS rebinding: the attacker's name, pointed at 127.0.0.1
    ({"Host": "localhost:{other}"}, 421),  # the exact port, not the SDK's loopback default of any port
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "http://127.0.0.1:{other}"}, 403),
])
def test_a_request_naming_another_host_or_origin_is_refused(server: tuple[str, int], headers: dict[str, str],
                                                           status: int) -> None:
    port = server[1]
    other = port + 1 if port < 65535 else port - 1
    answered, body = _post(port, {name: value.format(port=port, other=other) for name, value in headers.items()})
    assert answered == status, body
    assert "serverInfo" not in body


@pytest.mark.parametrize("address", ["0.0.0.0:8765", "192.0.2.1:8765", "[::]:8765", "example.com:8765"])
def test_an_address_other_machines_reach_is_refused_before_starting(
        address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # tmp_path is no catalogue: the address is refused before the catalogue is read.
    assert main(["mcp", "--http", address, "--catalogue", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "refusing to serve beyond this machine" in error and "--allow-remote" in error


def test_a_busy_port_is_a_usage_error_before_the_catalogue_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["mcp", "--http", f"127.0.0.1:{port}", "--catalogue", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"patternbook: error: --http 127.0.0.1:{port}: cannot listen there") and \
        error.count("\n") == 1


@pytest.mark.parametrize(("arguments", "message"), [
    (["--http", "nope"], "argument --http: 'nope' is not HOST:PORT"),
    (["--http", "127.0.0.1:99999"], "is not HOST:PORT"),
    (["--allow-remote"], "apply to --http only"),
])
def test_bad_options_are_one_line_usage_errors(arguments: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    try:
        status = main(["mcp", *arguments])
    except SystemExit as exit:  # argparse's own errors
        status = exit.code
    assert status == 2
    assert message in capsys.readouterr().err


def test_the_allowed_hosts_are_the_bound_port_only() -> None:
    from patternbook.mcp_server.http import HttpEndpoint, transport_security

    local = transport_security(HttpEndpoint("127.0.0.1", 0), 4321)
    assert local.enable_dns_rebinding_protection
    assert local.allowed_hosts == ["127.0.0.1:4321", "localhost:4321", "[::1]:4321"]
    assert local.allowed_origins == ["http://127.0.0.1:4321", "http://localhost:4321", "http://[::1]:4321"]
    # A wildcard bind is reached by names of its own; the wildcard itself is never a Host.
    remote = transport_security(HttpEndpoint("0.0.0.0", 0, allow_remote=True, extra_hosts=("pb.lan:4321",),
                                             extra_origins=("http://localhost:6274",)), 4321)
    assert "0.0.0.0:4321" not in remote.allowed_hosts and "pb.lan:4321" in remote.allowed_hosts
    assert "http://localhost:6274" in remote.allowed_origins
