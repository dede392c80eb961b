"""``validate --changed-since`` against a real git history, and ``check-links``
against a real local HTTP server and an unreachable network."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from patternbook.cli import main
from patternbook.cli.links import check_urls
from tests.conftest import FIXED_TODAY

CASES = Path(__file__).parents[1] / "validation" / "cases"


def _git(*arguments: str, cwd: Path) -> None:
    subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repository(catalogue_dir: Path) -> Path:
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue_dir / "minimal-valid")
    _git("init", "-q", cwd=catalogue_dir)
    _git("-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-q", "--allow-empty", "-m", "base",
         cwd=catalogue_dir)
    _git("add", "-A", cwd=catalogue_dir)
    _git("-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-q", "-m", "catalogue",
         cwd=catalogue_dir)
    return catalogue_dir


def test_changed_since_checks_only_touched_bundles_and_their_relations(repository: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(repository), "--changed-since", "HEAD", "--today", FIXED_TODAY]) == 0
    assert "no bundles changed" in capsys.readouterr().out

    other = repository / "other-neighbour" / "pattern.yaml"
    other.write_text(other.read_text().replace("type: complements", "type: alternative_to"))
    assert main(["validate", str(repository), "--changed-since", "HEAD", "--today", FIXED_TODAY, "--strict"]) == 1
    out = capsys.readouterr().out
    assert "PB303" in out and "2 bundles" in out  # the edited bundle and the one it relates to


def test_changed_since_follows_refactor_to(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An edited anti-pattern is checked with the patterns it refactors toward, which must still exist."""
    anti = repository / "neighbour-anti-pattern" / "pattern.yaml"
    anti.write_text(anti.read_text().replace("review_interval_days: 180", "review_interval_days: 181"))
    assert main(["validate", str(repository), "--changed-since", "HEAD", "--today", FIXED_TODAY, "--strict"]) == 0
    assert "2 bundles valid" in capsys.readouterr().out  # the edited anti-pattern and neighbour-pattern


def test_changed_catalogue_file_checks_everything(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = repository / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text() + "\n")
    assert main(["validate", str(repository), "--changed-since", "HEAD", "--today", FIXED_TODAY]) == 0
    assert "4 bundles valid" in capsys.readouterr().out


def test_unknown_ref_is_a_usage_error(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(repository), "--changed-since", "no-such-ref"]) == 2
    assert "git diff" in capsys.readouterr().err


class _StatusHandler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(404 if "missing" in self.path else 200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_check_links_reports_broken_links_and_caches(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StatusHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    cache = tmp_path / "links.json"
    try:
        results = check_urls([f"{base}/owner/repo", f"{base}/owner/missing"], cache, delay=0)
        assert {(r.url.rsplit("/", 1)[1], r.status, r.broken) for r in results} == {
            ("repo", 200, False), ("missing", 404, True)}
        again = check_urls([f"{base}/owner/repo"], cache, delay=0)
        assert again[0].cached and again[0].status == 200
    finally:
        server.shutdown()


def test_check_links_skips_cleanly_without_network(tmp_path: Path) -> None:
    # This machine reaches no host but package registries, so github.com is unreachable here,
    # as on any offline machine; a free local port stands in where it is not.
    results = check_urls(["https://127.0.0.1:9/unreachable", "https://127.0.0.1:9/other"], tmp_path / "c.json",
                         delay=0, timeout=2)
    assert [r.status for r in results] == [None, None]
    assert not any(r.broken for r in results)
