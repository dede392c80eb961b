"""``check-links`` reading companion repositories at their pinned commits for retired runtimes.

The repositories are real git repositories built in ``tmp_path`` and fetched over git's
file protocol (``--clone-base``), exactly as git fetches from github.com: depth 1, no file
contents until read. The link check before it talks to a local HTTP server that answers
as the GitHub API does for an existing repository, commit and path.
"""

from __future__ import annotations

import datetime
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from patternbook.cli import main
from patternbook.companions.runtimes import ScanTarget, find_runtime_tokens, scan_repositories
from tests.conftest import FIXED_TODAY

URL = "https://github.com/aws-samples/serverless-patterns"
VALID_CASE = Path(__file__).parents[1] / "validation" / "cases" / "positive" / "minimal-valid"
TODAY = datetime.date.fromisoformat(FIXED_TODAY)

OLD_TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.8
      Handler: app.handler
"""
OLD_PACKAGE = '{\n  "name": "queue-consumer-cdk",\n  "dependencies": {\n    "@aws-cdk/core": "1.204.0"\n  }\n}\n'
CDK_APP = ("import * as cdk from '@aws-cdk/core';\nimport * as lambda from '@aws-cdk/aws-lambda';\n"
           "const runtime = lambda.Runtime.NODEJS_14_X;\n")


def _git(repository: Path, *arguments: str) -> str:
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(repository), "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *arguments],
                          cwd=repository, check=True, capture_output=True, text=True, env=environment).stdout.strip()


def _commit(repository: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        (repository / name).write_text(text)
    _git(repository, "add", "-A")
    _git(repository, "commit", "-q", "-m", message)
    return _git(repository, "rev-parse", "HEAD")


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[Path, str, str]:
    """``<mirror>/aws-samples/serverless-patterns``: a first commit on python3.8 and CDK v1, then an upgrade."""
    repository = tmp_path / "mirror" / "aws-samples" / "serverless-patterns"
    repository.mkdir(parents=True)
    _git(repository, "init", "-q", "-b", "main")
    # Like GitHub, the host lets a partial clone leave file contents behind until they are read.
    _git(repository, "config", "uploadpack.allowFilter", "true")
    old = _commit(repository, {
        "queue-consumer/template.yaml": OLD_TEMPLATE,
        "queue-consumer/cdk/package.json": OLD_PACKAGE,
        "queue-consumer/cdk/lib/stack.ts": CDK_APP,
        "queue-consumer/README.md": "Runs on python3.8 today.\n",  # prose: not a file the scan reads
        "other-sample/template.yaml": "Resources:\n  F:\n    Properties:\n      Runtime: nodejs12.x\n",
    }, "queue consumer on python3.8 and CDK v1")
    (repository / "queue-consumer" / "cdk" / "lib" / "stack.ts").unlink()
    new = _commit(repository, {
        "queue-consumer/template.yaml": OLD_TEMPLATE.replace("python3.8", "python3.12"),
        "queue-consumer/cdk/package.json": OLD_PACKAGE.replace('"@aws-cdk/core": "1.204.0"',
                                                               '"aws-cdk-lib": "2.170.0"'),
    }, "upgrade to python3.12 and CDK v2")
    return tmp_path / "mirror", old, new


def _scan(mirror_root: Path, store: Path, ref: str, *, on: datetime.date = TODAY,
          flagged: tuple[str, ...] = ()):
    (result,) = scan_repositories([ScanTarget("queue", URL, ref, "queue-consumer", flagged)], store, on=on,
                                  clone_base=str(mirror_root))
    return result


def test_a_retired_runtime_is_found_at_the_pinned_commit(mirror: tuple[Path, str, str], tmp_path: Path) -> None:
    root, old, _ = mirror
    result = _scan(root, tmp_path / "store", old)
    assert result.skipped is None
    found = {(f.runtime.id, f.file, f.line) for f in result.findings}
    assert found == {("python3.8", "queue-consumer/template.yaml", 7),
                     ("aws-cdk-v1", "queue-consumer/cdk/package.json", 4),
                     ("aws-cdk-v1", "queue-consumer/cdk/lib/stack.ts", 1),
                     ("nodejs14.x", "queue-consumer/cdk/lib/stack.ts", 3)}
    # other-sample/ is outside the entry's path, README.md is prose: neither is read.
    assert result.files_scanned == 3
    assert [f.runtime.id for f in result.unflagged] == [f.runtime.id for f in result.findings]
    line = next(text for text in result.describe() if "python3.8" in text)
    assert line == (f"queue: github.com/aws-samples/serverless-patterns@{old[:7]} queue-consumer/: "
                    "queue-consumer/template.yaml:7: AWS Lambda python3.8 (Python 3.8) retired since 2024-10-14 "
                    "(https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html); NOT FLAGGED on the page")


def test_a_current_runtime_is_not_reported(mirror: tuple[Path, str, str], tmp_path: Path) -> None:
    root, _, new = mirror
    result = _scan(root, tmp_path / "store", new)
    assert result.skipped is None and result.findings == [] and result.files_scanned == 2
    assert result.describe() == [f"queue: github.com/aws-samples/serverless-patterns@{new[:7]} queue-consumer/: "
                                 "no retired runtime found (2 file(s) read)"]


def test_retirement_is_judged_on_the_given_date(mirror: tuple[Path, str, str], tmp_path: Path) -> None:
    root, old, _ = mirror
    before_python = _scan(root, tmp_path / "store", old, on=datetime.date(2024, 10, 13))
    assert "python3.8" not in {f.runtime.id for f in before_python.findings}
    assert "aws-cdk-v1" in {f.runtime.id for f in before_python.findings}  # retired on 2023-06-01
    on_the_day = _scan(root, tmp_path / "store", old, on=datetime.date(2024, 10, 14))
    assert "python3.8" in {f.runtime.id for f in on_the_day.findings}
    before_all = _scan(root, tmp_path / "store", old, on=datetime.date(2023, 5, 31))
    assert before_all.findings == []


def test_flags_silence_a_finding_and_a_flag_without_a_finding_is_reported(
        mirror: tuple[Path, str, str], tmp_path: Path) -> None:
    root, old, _ = mirror
    result = _scan(root, tmp_path / "store", old, flagged=("python3.8", "aws-cdk-v1", "ruby2.7"))
    assert [f.runtime.id for f in result.unflagged] == ["nodejs14.x"]
    assert result.unseen_flags == ["ruby2.7"]
    assert any(text.endswith("retired since 2024-10-14 (https://docs.aws.amazon.com/lambda/latest/dg/"
                             "lambda-runtimes.html); flagged on the page") for text in result.describe())
    assert any("flags ruby2.7, but the scan found it nowhere at the pin" in text for text in result.describe())


def test_a_fetched_commit_is_read_again_without_the_network(mirror: tuple[Path, str, str], tmp_path: Path) -> None:
    root, old, _ = mirror
    first = _scan(root, tmp_path / "store", old)
    shutil.rmtree(root)  # the host is gone: only the cache can answer now
    again = _scan(root, tmp_path / "store", old)
    assert again.skipped is None and again.findings == first.findings


def test_a_commit_the_host_does_not_have_is_skipped_not_reported(mirror: tuple[Path, str, str],
                                                                 tmp_path: Path) -> None:
    root, _, _ = mirror
    result = _scan(root, tmp_path / "store", "0123456789abcdef0123456789abcdef01234567")
    assert result.skipped and result.skipped.startswith("could not fetch commit 0123456")
    assert result.findings == [] and "runtimes not checked" in result.describe()[0]


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("Runtime: java8.al2", "configuration", []),  # a different, later runtime
    ("Runtime: java8", "configuration", ["java8"]),
    ('runtime = "nodejs14.x"', "configuration", ["nodejs14.x"]),
    ("runtime: nodejs14.xyz", "configuration", []),
    ("aws-cdk.core==1.204.0\naws-cdk-lib==2.1.0", "configuration", ["aws-cdk-v1"]),
    ("aws-cdk-lib==2.170.0", "configuration", []),
    # CDK v2's cdk.json: feature flags named after v1 packages are not v1 dependencies.
    ('{"context": {"@aws-cdk/core:checkSecretUsage": true, "@aws-cdk/core:target-partitions": []}}',
     "configuration", []),
    ('"dependencies": {"@aws-cdk/core": "1.204.0"}', "configuration", ["aws-cdk-v1"]),
    ("Runtime: dotnet8", "configuration", ["dotnet8"]),
    ("runtime=_lambda.Runtime.PYTHON_3_8,", "code", ["python3.8"]),
    ("# deploy with python3.8 locally", "code", []),  # in code only the constants count
    ("from aws_cdk import core as cdk", "code", ["aws-cdk-v1"]),
])
def test_tokens_match_whole_and_by_kind_of_file(text: str, kind: str, found: list[str]) -> None:
    assert [runtime.id for runtime, _ in find_runtime_tokens(text, kind)] == found


class _ExistingEverything(http.server.BaseHTTPRequestHandler):
    """The GitHub API's answers for a repository, commit and path that exist, the pin being current."""

    def do_GET(self) -> None:
        payload = json.dumps({"default_branch": "main", "ahead_by": 0, "behind_by": 0, "files": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ExistingEverything)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _pin(catalogue: Path, ref: str, flags: str = "") -> None:
    """minimal-valid pinned at ``ref`` of the mirror, under queue-consumer/, with ``flags``. The fixture
    bundles keep a commit the mirror does not have: their scan is skipped, never a finding."""
    bundle = catalogue / "minimal-valid" / "pattern.yaml"
    shutil.copytree(VALID_CASE, bundle.parent)
    old = "    description: Collection of serverless templates including a queue feeding a Lambda consumer.\n"
    text = bundle.read_text().replace("fb7b5d06c27d8abb1bd35e52ab7523acf4baab7b", ref)
    bundle.write_text(text.replace(old, "    path: queue-consumer\n" + old + flags))


def _check(catalogue: Path, tmp_path: Path, api_url: str, root: Path, *extra: str) -> int:
    return main(["check-links", str(catalogue), "--api-url", api_url, "--delay", "0", "--cache",
                 str(tmp_path / "cache" / "links.json"), "--clone-base", str(root), "--today", FIXED_TODAY, *extra])


def test_command_fails_on_a_retired_runtime_the_page_does_not_flag(
        mirror: tuple[Path, str, str], catalogue_dir: Path, tmp_path: Path, api_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    root, old, _ = mirror
    _pin(catalogue_dir, old)
    assert _check(catalogue_dir, tmp_path, api_url, root) == 1
    out = capsys.readouterr().out
    assert "minimal-valid: github.com/aws-samples/serverless-patterns@" in out
    assert "queue-consumer/template.yaml:7: AWS Lambda python3.8 (Python 3.8) retired since 2024-10-14" in out
    assert "retired runtimes on 2026-11-01 (list of " in out and "4 not flagged on their page" in out


def test_command_passes_when_the_page_flags_what_the_scan_finds(
        mirror: tuple[Path, str, str], catalogue_dir: Path, tmp_path: Path, api_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    root, old, _ = mirror
    _pin(catalogue_dir, old, "    retired_runtimes: [python3.8, aws-cdk-v1, nodejs14.x]\n")
    assert _check(catalogue_dir, tmp_path, api_url, root, "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["checked_on"] == FIXED_TODAY and report["needs_action"] is False
    (scanned,) = [entry for entry in report["runtimes"] if entry["pattern"] == "minimal-valid"]
    assert {(f["runtime"], f["file"], f["line"], f["flagged"]) for f in scanned["findings"]} >= {
        ("python3.8", "queue-consumer/template.yaml", 7, True)}


def test_markdown_report_is_the_issue_body(mirror: tuple[Path, str, str], catalogue_dir: Path, tmp_path: Path,
                                           api_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    root, old, _ = mirror
    _pin(catalogue_dir, old, "    retired_runtimes: [python3.8]\n")
    assert _check(catalogue_dir, tmp_path, api_url, root, "--format", "markdown") == 1
    out = capsys.readouterr().out
    assert out.startswith("## Companion repositories\n\nChecked on 2026-11-01 by `patternbook check-links`")
    assert "**Needs action:** 0 broken entries, 3 retired runtime(s) the pattern's page does not mention." in out
    assert ("| minimal-valid | https://github.com/aws-samples/serverless-patterns@`" + old[:7] + "` | "
            "queue-consumer/template.yaml:7 | AWS Lambda python3.8 \\(Python 3.8\\) | "
            "[2024-10-14](https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html) | flagged |") in out
    assert "**not flagged**" in out
