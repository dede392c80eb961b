"""``validate --changed-since`` against a real git history (``check-links`` is in test_check_links.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from patternbook.cli import main
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


def test_changed_catalogue_file_checks_everything(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = repository / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text() + "\n")
    assert main(["validate", str(repository), "--changed-since", "HEAD", "--today", FIXED_TODAY]) == 0
    assert "3 bundles valid" in capsys.readouterr().out


def test_unknown_ref_is_a_usage_error(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(repository), "--changed-since", "no-such-ref"]) == 2
    assert "git diff" in capsys.readouterr().err
