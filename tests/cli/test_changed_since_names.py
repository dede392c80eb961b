"""``validate --changed-since`` reads git's file names as they are (``-z``): a bundle
whose folder name git would quote (non-ASCII, a newline) is checked with its relations
rather than making every bundle look changed, and a ref that git would read as an
option never reaches it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from patternbook.cli import main
from tests.conftest import FIXED_TODAY

CASES = Path(__file__).parents[1] / "validation" / "cases"


def git(*arguments: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *arguments], cwd=cwd, check=True,
                   capture_output=True)


@pytest.fixture
def repository(catalogue_dir: Path) -> Path:
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue_dir / "minimal-valid")
    git("init", "-q", cwd=catalogue_dir)
    git("add", "-A", cwd=catalogue_dir)
    git("commit", "-q", "-m", "catalogue", cwd=catalogue_dir)
    return catalogue_dir


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "untracked"])
def test_a_folder_name_git_would_quote_is_checked_with_its_relations_only(repository: Path, committed: bool,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(repository / "other-neighbour", repository / "caf\u00e9")
    if committed:
        git("add", "-A", cwd=repository)
        git("commit", "-q", "-m", "add", cwd=repository)
        ref = "HEAD~1"
    else:
        ref = "HEAD"
    assert main(["validate", str(repository), "--changed-since", ref, "--today", FIXED_TODAY]) == 1
    out = capsys.readouterr().out
    assert "PB008" in out and "in 2 bundles" in out  # not a slug; checked with the neighbour it relates to


def test_a_ref_that_looks_like_an_option_is_refused(repository: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "written-by-git"
    assert main(["validate", str(repository), f"--changed-since=--output={target}"]) == 2
    assert "is not a git ref" in capsys.readouterr().err and not target.exists()
