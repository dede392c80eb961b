"""``patternbook mcp`` started as a subprocess on the shipped catalogue and driven
by the official SDK's own client over stdio: the initialize handshake, the tool
list, each tool called with good and with bad input, the resources and their
templates, each read with a good and with an unknown slug."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from patternbook.mcp_server import TOOL_NAMES
from tests.conftest import PROJECT

pytest.importorskip("mcp")


async def _session(script):
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    # The whole environment: the SDK passes only HOME, PATH and the like by default, and without
    # PYTHONPATH the subprocess would import whichever patternbook the venv has installed, not this one.
    parameters = StdioServerParameters(command=sys.executable, args=["-m", "patternbook", "mcp", "--catalogue",
                                                                     str(PROJECT / "patterns")], cwd=str(PROJECT),
                                       env=dict(os.environ))
    # "legacy" is the initialize handshake every MCP client speaks.
    async with Client(parameters, mode="legacy", read_timeout_seconds=60) as client:
        return await script(client)


RESOURCE_READS = {
    "read_markdown": "pattern://circuit-breaker",
    "read_json": "pattern://circuit-breaker/json",
    "read_anti_pattern": "pattern://distributed-monolith",
    "read_unknown": "pattern://circuit-breakers",
    "read_traversal": "pattern://..%2F..%2Fetc%2Fpasswd",
}


async def read_or_error(client, uri: str) -> Any:
    """The resource's contents, or the protocol error the server answered with."""
    from mcp.shared.exceptions import MCPError

    try:
        return (await client.read_resource(uri)).contents
    except MCPError as error:
        return error


def _structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


@pytest.fixture(scope="module")
def answers() -> dict[str, Any]:
    """One server session: the handshake, the tool list and every call, recorded for the tests below."""

    async def script(client) -> dict[str, Any]:
        recorded: dict[str, Any] = {"server": client.server_info, "tools": (await client.list_tools()).tools}
        calls = {
            "search": ("search_patterns", {"query": "retry storm"}),
            "search_facets": ("search_patterns", {"category": "reliability", "pillar": "cost_optimization",
                                                  "limit": 50}),
            "search_iac": ("search_patterns", {"iac": "terraform", "status": "proven"}),
            "get": ("get_pattern", {"slug": "circuit-breaker"}),
            "symptom_id": ("find_by_symptom", {"symptom": "retry-storms"}),
            "symptom_words": ("find_by_symptom", {"symptom": "a whole region going dark"}),
            "compare": ("compare_patterns", {"slugs": ["blue-green-deployment", "canary-with-slo-rollback"]}),
            "anti_patterns": ("list_anti_patterns", {}),
            "bad_slug": ("get_pattern", {"slug": "../../etc/passwd"}),
            "unknown_slug": ("get_pattern", {"slug": "circuit-breakers"}),
            "unknown_category": ("search_patterns", {"category": "nonsense"}),
            "bad_pillar": ("search_patterns", {"pillar": "speed"}),
            "compare_one": ("compare_patterns", {"slugs": ["circuit-breaker"]}),
            "long_query": ("search_patterns", {"query": "x" * 5000}),
        }
        for key, (tool, arguments) in calls.items():
            recorded[key] = await client.call_tool(tool, arguments)
        recorded["resources"] = (await client.list_resources()).resources
        recorded["templates"] = (await client.list_resource_templates()).resource_templates
        for key, uri in RESOURCE_READS.items():
            recorded[key] = await read_or_error(client, uri)
        return recorded

    # A thread of its own: in a worker where the Chromium tests already run Playwright's sync API,
    # the main thread has an event loop running and asyncio.run() would refuse to start.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _session(script)).result(timeout=300)


def test_initialize_names_the_server_and_lists_every_tool(answers: dict[str, Any]) -> None:
    assert answers["server"].name == "patternbook"
    tools = {tool.name: tool for tool in answers["tools"]}
    assert set(tools) == set(TOOL_NAMES)
    for tool in tools.values():
        assert tool.description
        assert tool.annotations.read_only_hint is True and tool.annotations.destructive_hint is False
    slug = tools["get_pattern"].input_schema["properties"]["slug"]
    assert slug["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$" and slug["maxLength"] == 64
    assert set(tools["search_patterns"].input_schema["properties"]) >= {"query", "category", "tag", "pillar",
                                                                         "status", "iac", "limit"}


def test_search_by_words_and_by_facets(answers: dict[str, Any]) -> None:
    found = [p["slug"] for p in _structured(answers["search"])["patterns"]]
    assert "retry-with-backoff-and-jitter" in found and "circuit-breaker" in found
    faceted = _structured(answers["search_facets"])["patterns"]
    assert faceted and all(p["category"] == "reliability" and "cost_optimization" in p["pillars"] for p in faceted)
    by_tool = _structured(answers["search_iac"])
    assert by_tool["filters"] == {"status": "proven", "iac": "terraform"}
    assert all(p["status"] == "proven" for p in by_tool["patterns"])


def test_get_pattern_returns_the_five_answers(answers: dict[str, Any]) -> None:
    pattern = _structured(answers["get"])
    assert pattern["slug"] == "circuit-breaker" and pattern["path"] == "patterns/circuit-breaker/"
    assert set(pattern["answers"]) == {"pressure", "when_not_to_use", "failure_edges", "cost", "operations"}
    edges = pattern["answers"]["failure_edges"]
    assert edges[0]["breaks_first"] is True and edges[0]["order"] == 1 and len(edges) >= 2
    assert {"low", "high", "currency", "period", "as_of", "assumptions"} <= set(pattern["answers"]["cost"]["estimate"])
    assert pattern["answers"]["operations"]["monitoring"]["alarms"]
    assert "## Components" in pattern["solution_markdown"]
    # The same document is published beside the page as patterns/circuit-breaker.json.
    from patternbook.catalogue import Catalogue
    from patternbook.pages.agent_documents import bundle_document
    from patternbook.validation import validate_paths

    report = validate_paths([PROJECT / "patterns"])
    catalogue = Catalogue.from_models(report.catalogue, report.patterns)
    assert {k: v for k, v in pattern.items() if k != "path"} == json.loads(
        json.dumps(bundle_document(catalogue.patterns["circuit-breaker"])))


def test_find_by_symptom_id_or_words(answers: dict[str, Any]) -> None:
    by_id = _structured(answers["symptom_id"])["symptoms"]
    assert [s["id"] for s in by_id] == ["retry-storms"]
    assert by_id[0]["patterns"] and "retry-with-backoff-and-jitter" in [p["slug"] for p in by_id[0]["patterns"]]
    by_words = _structured(answers["symptom_words"])["symptoms"]
    assert by_words and all(s["patterns"] for s in by_words)
    assert any("region" in s["title"].lower() for s in by_words)


def test_compare_puts_cost_pillars_and_failure_edges_side_by_side(answers: dict[str, Any]) -> None:
    comparison = _structured(answers["compare"])
    assert [p["slug"] for p in comparison["patterns"]] == ["blue-green-deployment", "canary-with-slo-rollback"]
    for row in comparison["patterns"]:
        assert row["cost"]["currency"] and row["cost"]["high"] >= row["cost"]["low"]
        assert set(row["pillars"]) == {"operational_excellence", "security", "reliability", "performance_efficiency",
                                       "cost_optimization", "sustainability"}
        assert row["breaks_first"] == row["failure_edges"][0]
    assert {"from": "blue-green-deployment", "type": "alternative_to", "to": "canary-with-slo-rollback"} in \
        comparison["relations"] or {"from": "canary-with-slo-rollback", "type": "alternative_to",
                                     "to": "blue-green-deployment"} in comparison["relations"]


def test_anti_patterns_come_with_the_patterns_to_refactor_toward(answers: dict[str, Any]) -> None:
    listed = _structured(answers["anti_patterns"])
    by_slug = {item["slug"]: item for item in listed["anti_patterns"]}
    assert {"shared-database-across-services", "synchronous-call-chain", "big-bang-release",
            "distributed-monolith", "built-for-scale-that-never-comes"} <= set(by_slug)
    toward = [card["slug"] for card in by_slug["shared-database-across-services"]["refactor_toward"]]
    assert toward[0] == "change-data-capture"
    for item in listed["anti_patterns"]:
        assert item["refactor_toward"] and all(card.get("title") for card in item["refactor_toward"]), item["slug"]


@pytest.mark.parametrize(("key", "expected"), [
    ("bad_slug", "String should match pattern"),
    ("unknown_slug", "no pattern 'circuit-breakers'; did you mean circuit-breaker"),
    ("unknown_category", "unknown category 'nonsense'; known: ai-systems"),
    ("bad_pillar", "pillar"),
    ("compare_one", "at least 2 items"),
    ("long_query", "at most 200 characters"),
])
def test_bad_input_is_a_tool_error_not_a_crash(answers: dict[str, Any], key: str, expected: str) -> None:
    result = answers[key]
    assert result.is_error
    assert expected in result.content[0].text


@pytest.fixture(scope="module")
def catalogue():
    from patternbook.mcp_server import load_catalogue

    return load_catalogue(PROJECT / "patterns")


def test_every_bundle_is_listed_as_a_markdown_resource_with_two_templates(answers: dict[str, Any], catalogue) -> None:
    listed = {resource.uri: resource for resource in answers["resources"]}
    assert set(listed) == {f"pattern://{slug}" for slug in catalogue.entries}
    breaker = listed["pattern://circuit-breaker"]
    assert breaker.name == "circuit-breaker" and breaker.title == "Circuit breaker"
    assert breaker.mime_type == "text/markdown" and breaker.description.startswith("Pattern: ")
    assert listed["pattern://distributed-monolith"].description.startswith("Anti-pattern: ")
    templates = {template.uri_template: template.mime_type for template in answers["templates"]}
    assert templates == {"pattern://{slug}": "text/markdown", "pattern://{slug}/json": "application/json"}


def test_a_resource_reads_as_the_bundles_twins(answers: dict[str, Any], catalogue) -> None:
    from patternbook.pages.agent_documents import bundle_document, bundle_markdown

    [markdown] = answers["read_markdown"]
    assert markdown.mime_type == "text/markdown" and markdown.uri == "pattern://circuit-breaker"
    assert markdown.text == bundle_markdown(catalogue.entries["circuit-breaker"], catalogue)
    [document] = answers["read_json"]
    assert document.mime_type == "application/json"
    assert json.loads(document.text) == json.loads(json.dumps(bundle_document(catalogue.entries["circuit-breaker"])))
    [anti_pattern] = answers["read_anti_pattern"]
    assert anti_pattern.text.startswith("# Distributed monolith") and "## Refactor toward" in anti_pattern.text


@pytest.mark.parametrize(("key", "expected"), [
    ("read_unknown", "no pattern 'circuit-breakers'; did you mean circuit-breaker"),
    ("read_traversal", "pattern://..%2F..%2Fetc%2Fpasswd"),
])
def test_an_unknown_resource_is_a_protocol_error_not_a_crash(answers: dict[str, Any], key: str, expected: str) -> None:
    from mcp.shared.exceptions import MCPError

    error = answers[key]
    assert isinstance(error, MCPError), error
    assert error.error.code == -32602  # "resource not found" (invalid params), not an internal error
    assert expected in error.error.message


def test_the_cli_does_not_import_the_sdk_until_mcp_runs() -> None:
    code = ("import sys; from patternbook.cli import build_parser; build_parser().parse_args(['validate']); "
            "print('mcp' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"


def test_a_folder_that_is_not_a_catalogue_is_refused(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "patternbook", "mcp", "--catalogue", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "not a catalogue folder" in result.stderr and "Traceback" not in result.stderr
