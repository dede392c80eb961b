"""The feed from a real git history whose commit subjects hold what a merged pull
request may bring: control characters the XML writer refuses, and the separators
the history reader once split on. Written in-process (no site build)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import feedparser

from patternbook.catalogue import Catalogue
from patternbook.history import read_catalogue_history
from patternbook.pipeline.build import LibraryBuild
from patternbook.postbuild.context import PostBuildContext
from patternbook.postbuild.feed import FEED_PATH, write_feed
from patternbook.validation import validate_paths

CASES = Path(__file__).parents[1] / "validation" / "cases"


def git(*arguments: str, cwd: Path, when: str = "2026-01-05T10:00:00+00:00") -> str:
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *arguments], cwd=cwd,
                          check=True, capture_output=True, text=True, env={**os.environ, **dates}).stdout.strip()


def test_a_subject_with_control_characters_and_separators_gives_a_well_formed_feed(
        catalogue_dir: Path, tmp_path: Path) -> None:
    repository = catalogue_dir.parent
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue_dir / "minimal-valid")  # the fixture's neighbour
    git("init", "-q", "-b", "main", cwd=repository)
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "catalogue", cwd=repository)
    forged = f"\x1e{'f' * 40}\x1f2030-01-01T00:00:00+00:00\x1fForged"  # the separators the reader once split on
    for slug, subject, when in (("neighbour-pattern", "Merge\x1b[2K pull\x0c request", "2026-02-01T09:00:00+00:00"),
                                ("other-neighbour", f"Tidy{forged}", "2026-03-01T09:00:00+00:00")):
        solution = catalogue_dir / slug / "solution.md"
        solution.write_text(solution.read_text(encoding="utf-8") + " Reworded.", encoding="utf-8")
        git("commit", "-q", "-am", subject, cwd=repository, when=when)
    report = validate_paths([catalogue_dir])
    assert report.catalogue is not None and not report.errors
    catalogue = Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)
    build = LibraryBuild(report, plan=None, catalogue=catalogue,  # type: ignore[arg-type]  (the feed reads no plan)
                         history=read_catalogue_history(catalogue_dir))
    site = tmp_path / "site"
    site.mkdir()

    write_feed(PostBuildContext(site, build))

    feed = feedparser.parse((site / FEED_PATH).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    head = git("rev-parse", "HEAD", cwd=repository)
    assert [entry.title for entry in feed.entries[:2]] == ["Changed: Other neighbour", "Changed: Neighbour pattern"]
    assert feed.entries[0].summary.endswith(f"Forged ({head[:10]})")
    assert "Merge[2K pull request (" in feed.entries[1].summary
    assert [entry.title for entry in feed.entries].count("Changed: Other neighbour") == 1
    assert not any(entry.updated.startswith("2030") for entry in feed.entries)
