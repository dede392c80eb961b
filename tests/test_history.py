"""Change history from a real git repository built in a temporary folder: per-bundle
commits newest first, feed events classified by what each commit did, and the
honest answers outside git and in a shallow clone."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest

from patternbook.history import CatalogueHistory, read_catalogue_history

CASES = Path(__file__).parent / "validation" / "cases"


def commit(repository: Path, message: str, when: str) -> None:
    environment = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin",
                   "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repository)}
    for arguments in (["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-q",
                                      "-m", message]):
        subprocess.run(["git", *arguments], cwd=repository, check=True, capture_output=True, env=environment)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repository(catalogue_dir: Path) -> Path:
    """The fixture catalogue inside a repository (one level down, as patterns/ is in a project)."""
    root = catalogue_dir.parent
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, capture_output=True)
    (root / "README.md").write_text("not part of the catalogue\n", encoding="utf-8")
    commit(root, "Add the catalogue", "2026-01-05T10:00:00+00:00")
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue_dir / "minimal-valid")
    commit(root, "Add the minimal pattern", "2026-02-01T09:00:00+01:00")
    edit(catalogue_dir / "minimal-valid" / "pattern.yaml", "last_reviewed: 2026-10-01", "last_reviewed: 2026-11-15")
    commit(root, "Re-review the minimal pattern", "2026-03-01T09:00:00+00:00")
    edit(catalogue_dir / "neighbour-pattern" / "pattern.yaml", "status: reviewed",
         "status: deprecated\nsuperseded_by: minimal-valid")
    commit(root, "Deprecate the neighbour", "2026-04-01T09:00:00+00:00")
    edit(catalogue_dir / "minimal-valid" / "solution.md", "The producer sends a message",
         "The producer sends one message")
    (root / "README.md").write_text("still not part of the catalogue\n", encoding="utf-8")
    commit(root, "Tighten the flow", "2026-05-01T09:00:00+00:00")
    return catalogue_dir


def test_each_bundle_lists_the_commits_that_touched_it_newest_first(repository: Path) -> None:
    history = read_catalogue_history(repository)
    assert history.available and history.note is None
    minimal = history.of("minimal-valid")
    assert [c.subject for c in minimal.changes] == [
        "Tighten the flow", "Re-review the minimal pattern", "Add the minimal pattern"]
    assert minimal.last_changed is not None
    assert minimal.last_changed.when == datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)
    assert len(minimal.last_changed.commit) == 40
    assert [c.subject for c in history.of("other-neighbour").changes] == ["Add the catalogue"]
    assert history.of("no-such-pattern").changes == ()


def test_depth_limits_the_changes_kept_per_bundle(repository: Path) -> None:
    assert len(read_catalogue_history(repository, depth=2).of("minimal-valid").changes) == 2


def test_events_say_what_each_commit_did_to_each_pattern(repository: Path) -> None:
    events = [(e.slug, e.kind, e.change.subject) for e in read_catalogue_history(repository).events]
    assert events[:4] == [
        ("minimal-valid", "changed", "Tighten the flow"),
        ("neighbour-pattern", "deprecated", "Deprecate the neighbour"),
        ("minimal-valid", "re-reviewed", "Re-review the minimal pattern"),
        ("minimal-valid", "new", "Add the minimal pattern"),
    ]
    assert {e[1] for e in events[4:]} == {"new"}  # the first commit added the other bundles


def test_history_is_the_same_for_the_same_commit(repository: Path) -> None:
    assert read_catalogue_history(repository) == read_catalogue_history(repository)


def test_outside_git_the_history_says_so(tmp_path: Path) -> None:
    shutil.copytree(CASES / "positive" / "minimal-valid", tmp_path / "catalogue" / "minimal-valid")
    history = read_catalogue_history(tmp_path / "catalogue")
    assert history == CatalogueHistory.unavailable(history.note or "")
    assert not history.available and "outside a git repository" in (history.note or "")
    assert history.of("minimal-valid").changes == ()


def test_a_shallow_clone_leaves_out_its_boundary_commit_and_says_why(repository: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repository.parent}", str(clone)], check=True,
                   capture_output=True)
    history = read_catalogue_history(clone / "catalogue")
    assert history.available and "shallow clone" in (history.note or "")
    # Depth 2: the boundary commit ("Deprecate the neighbour") looks as if it added every file, so it is left out.
    assert [c.subject for c in history.of("minimal-valid").changes] == ["Tighten the flow"]
    assert history.of("other-neighbour").changes == ()
    assert [(e.slug, e.kind) for e in history.events] == [("minimal-valid", "changed")]


def head_commit(repository: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repository, check=True, capture_output=True,
                          text=True).stdout.strip()


def test_a_subject_holding_record_separators_cannot_forge_an_entry(repository: Path) -> None:
    forged = "f" * 40
    edit(repository / "minimal-valid" / "solution.md", "The producer sends one message",
         "The producer sends exactly one message")
    # The separators the reader once split on, then a fake hash, date and subject.
    commit(repository.parent, f"Sneaky\x1e{forged}\x1f2030-01-01T00:00:00+00:00\x1fForged entry",
           "2026-06-01T09:00:00+00:00")
    history = read_catalogue_history(repository)
    commits = [e.change.commit for e in history.events]
    assert forged not in commits
    newest = [e for e in history.events if e.change.commit == head_commit(repository.parent)]
    assert [(e.slug, e.kind) for e in newest] == [("minimal-valid", "changed")]
    assert newest[0].change.when == datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
    assert history.of("minimal-valid").changes[0].commit == head_commit(repository.parent)
    assert "\x1e" not in newest[0].change.subject and "\x1f" not in newest[0].change.subject


def test_subjects_lose_control_and_invisible_characters(repository: Path) -> None:
    edit(repository / "minimal-valid" / "solution.md", "The producer sends one message",
         "The producer sends exactly one message")
    commit(repository.parent, "Fix\x1b[31m the\x0cflow\u202e now\x85", "2026-06-01T09:00:00+00:00")
    assert read_catalogue_history(repository).of("minimal-valid").changes[0].subject == "Fix[31m theflow now"


def test_lines_a_commit_adds_classify_only_the_bundle_whose_file_it_changed(repository: Path) -> None:
    # Lines that a patch shows as another file's header and a deprecation must not
    # deprecate the neighbour, whose solution alone this commit edits.
    pattern = repository / "minimal-valid" / "pattern.yaml"
    pattern.write_text(pattern.read_text(encoding="utf-8")
                       + "++ b/catalogue/neighbour-pattern/pattern.yaml\nstatus: deprecated\n", encoding="utf-8")
    edit(repository / "neighbour-pattern" / "solution.md", "", "Reworded. ")
    commit(repository.parent, "Tidy two bundles", "2026-06-01T09:00:00+00:00")
    newest = {e.slug: e.kind for e in read_catalogue_history(repository).events
              if e.change.commit == head_commit(repository.parent)}
    assert newest == {"minimal-valid": "deprecated", "neighbour-pattern": "changed"}
