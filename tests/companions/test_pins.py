"""``check-links`` against a real HTTP server on 127.0.0.1 that plays back recorded
GitHub API answers, and against an unreachable network.

The server is a real round trip through urllib, sockets and JSON, so the
verification logic (repository, commit, path at the commit, drift since the pin)
runs exactly as it would against api.github.com, which this machine cannot reach.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from patternbook.cli import main
from patternbook.companions.pins import EntryResult, PinnedEntry, check_entries

RECORDED = json.loads((Path(__file__).parent / "recorded_github_api.json").read_text())
REPO = "https://github.com/aws-samples/serverless-patterns"
PIN = "5847e7117f4c71d322fc5c6ca0ffbf3847dbe59e"
HEAD = "fb7b5d06c27d8abb1bd35e52ab7523acf4baab7b"
GONE = "0123456789abcdef0123456789abcdef01234567"
UNREACHABLE = "https://127.0.0.1:9"  # a free local port stands in for github.com on a machine with network
VALID_CASE = Path(__file__).parents[1] / "validation" / "cases" / "positive" / "minimal-valid"


class _RecordedApi(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        answer = RECORDED.get(self.path) or {"status": 404, "body": {"message": "Not Found"}}
        payload = json.dumps(answer["body"]).encode()
        self.send_response(answer["status"])
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in answer.get("headers", {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api_url() -> Iterator[str]:
    _RecordedApi.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RecordedApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def catalogue(catalogue_dir: Path) -> Path:
    """The fixture catalogue made whole: three valid bundles, each pinned at HEAD."""
    shutil.copytree(VALID_CASE, catalogue_dir / "minimal-valid")
    return catalogue_dir


def _by_pattern(results: list[EntryResult]) -> dict[str, EntryResult]:
    return {r.entry.pattern: r for r in results}


def test_each_entry_is_verified_for_repository_commit_and_path(api_url: str, tmp_path: Path) -> None:
    entries = [
        PinnedEntry("drifted", REPO, PIN, "sfn-glue-sync-cdk"),
        PinnedEntry("current", REPO, HEAD, "apigw-sqs-lambda"),
        PinnedEntry("no-repository", "https://github.com/aws-samples/no-such-repository", HEAD),
        PinnedEntry("no-commit", REPO, GONE),
        PinnedEntry("no-path", REPO, PIN, "folder-moved-away"),
    ]
    results = _by_pattern(check_entries(entries, tmp_path / "links.json", api_url=api_url, delay=0, token=""))

    drifted = results["drifted"]
    assert not drifted.broken and not drifted.skipped
    assert (drifted.default_branch, drifted.ahead_by, drifted.path_changes) == ("main", 12, 3)
    assert "main is 12 commit(s) ahead of the pin, 3 file(s) changed under sfn-glue-sync-cdk/" in drifted.describe()

    assert results["current"].ahead_by == 0 and "has not moved" in results["current"].describe()
    assert results["no-repository"].problem == "repository not found"
    assert results["no-commit"].problem == f"commit {GONE} is not in the repository"
    assert results["no-path"].problem == "path folder-moved-away/ does not exist at commit 5847e71"
    assert {name for name, r in results.items() if r.broken} == {"no-repository", "no-commit", "no-path"}
    # The repository is asked for once, however many entries name it.
    assert _RecordedApi.requests.count("/repos/aws-samples/serverless-patterns") == 1


def test_answers_are_cached_and_a_new_pin_is_asked_again(api_url: str, tmp_path: Path) -> None:
    cache = tmp_path / "links.json"
    entry = PinnedEntry("drifted", REPO, PIN, "sfn-glue-sync-cdk")
    check_entries([entry], cache, api_url=api_url, delay=0, token="")
    asked = len(_RecordedApi.requests)

    again = check_entries([entry], cache, api_url=api_url, delay=0, token="")
    assert len(_RecordedApi.requests) == asked
    assert again[0].cached and again[0].ahead_by == 12 and "(cached)" in again[0].describe()

    repinned = check_entries([PinnedEntry("drifted", REPO, HEAD, "sfn-glue-sync-cdk")], cache, api_url=api_url,
                             delay=0, token="")
    assert not repinned[0].cached and len(_RecordedApi.requests) > asked


def test_a_rate_limit_skips_the_rest_without_calling_anything_broken(api_url: str, tmp_path: Path) -> None:
    entries = [PinnedEntry("a-limited", "https://github.com/aws-samples/rate-limited", HEAD),
               PinnedEntry("b-later", REPO, HEAD)]
    results = check_entries(entries, tmp_path / "links.json", api_url=api_url, delay=0, token="")
    assert [r.broken for r in results] == [False, False]
    assert all(r.skipped and "rate limit" in r.skipped for r in results)
    assert not json.loads((tmp_path / "links.json").read_text())  # a skip is never cached


def test_only_github_repositories_are_asked(api_url: str, tmp_path: Path) -> None:
    results = check_entries([PinnedEntry("elsewhere", "https://gitlab.com/group/project", HEAD)],
                            tmp_path / "links.json", api_url=api_url, delay=0, token="")
    assert results[0].skipped == "only github.com repositories can be checked"
    assert _RecordedApi.requests == []


def test_command_reports_every_entry_and_exits_0_when_none_is_broken(
        api_url: str, catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check-links", str(catalogue), "--api-url", api_url, "--delay", "0",
                 "--cache", str(tmp_path / "links.json"), "--no-runtimes"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("@fb7b5d0: ok, main has not moved since the pin") == 3
    assert "3 of 3 entries checked, 0 broken" in out


def test_command_exits_1_on_a_broken_entry(api_url: str, catalogue: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    bundle = catalogue / "neighbour-pattern" / "pattern.yaml"
    bundle.write_text(bundle.read_text().replace(HEAD, GONE))
    code = main(["check-links", str(catalogue), "--api-url", api_url, "--delay", "0",
                 "--cache", str(tmp_path / "links.json"), "--no-runtimes"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"neighbour-pattern: github.com/aws-samples/serverless-patterns@0123456: BROKEN, commit {GONE}" in out


def test_without_network_the_check_says_so_and_exits_0(catalogue: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    # This machine reaches no host but package registries, so api.github.com is unreachable here.
    code = main(["check-links", str(catalogue), "--api-url", UNREACHABLE, "--delay", "0",
                 "--cache", str(tmp_path / "links.json")])
    captured = capsys.readouterr()
    assert code == 0
    assert not (tmp_path / "repositories").exists()  # nor does it try git: the network is down for it too
    assert "network unreachable: skipped 3 of 3 entries" in captured.err
    assert captured.out.count("not checked, network unreachable") == 3
    assert "0 of 3 entries checked, 0 broken" in captured.out
