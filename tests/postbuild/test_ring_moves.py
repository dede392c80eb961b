"""Ring moves read from a real git history reach the feed, ``patternbook diff`` and
``tech-radar.json``, each in the words "neighbour-pattern: trial → adopt". In-process
(no site build), one temporary repository of two commits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from patternbook.catalogue import Catalogue
from patternbook.catalogue_diff import diff_git_refs, render_diff
from patternbook.history import read_catalogue_history
from patternbook.pipeline.build import LibraryBuild
from patternbook.postbuild.context import PostBuildContext
from patternbook.postbuild.feed import FEED_PATH, write_feed
from patternbook.postbuild.tech_radar import TECH_RADAR_PATH, write_tech_radar
from patternbook.validation import validate_paths
from tests.conftest import FIXTURE_CATALOGUE
from tests.postbuild.tech_radar_schema import TECH_RADAR_SCHEMA

CASES = Path(__file__).parents[1] / "validation" / "cases" / "positive"
MOVE_SUBJECT = "Adopt the neighbour pattern"


def git(*arguments: str, cwd: Path, when: str) -> None:
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *arguments], cwd=cwd,
                   check=True, capture_output=True, env={**os.environ, **dates})


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture catalogue committed with neighbour-pattern in trial, then moved to adopt."""
    repository = tmp_path_factory.mktemp("ring-moves")
    root = repository / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, root)
    for case in CASES.iterdir():
        shutil.copytree(case, root / case.name, ignore=shutil.ignore_patterns("expected.txt"))
    git("init", "-q", "-b", "main", cwd=repository, when="2026-01-05T10:00:00+00:00")
    git("add", "-A", cwd=repository, when="2026-01-05T10:00:00+00:00")
    git("commit", "-q", "-m", "Start the catalogue", cwd=repository, when="2026-01-05T10:00:00+00:00")
    bundle = root / "neighbour-pattern" / "pattern.yaml"
    text = bundle.read_text(encoding="utf-8").replace("  ring: trial\n", "  ring: adopt\n")
    # The fixture catalogue asks two known uses of an adopted pattern.
    text += ("known_uses:\n  - who: Fixture team one\n    what: Runs it in front of every flaky dependency it has.\n"
             "  - who: Fixture team two\n    what: Runs it for its payment provider since the last outage.\n")
    bundle.write_text(text, encoding="utf-8")
    git("commit", "-q", "-am", MOVE_SUBJECT, cwd=repository, when="2026-03-01T09:00:00+00:00")
    return root


@pytest.fixture(scope="module")
def build(catalogue_dir: Path) -> LibraryBuild:
    report = validate_paths([catalogue_dir])
    assert report.catalogue is not None and not report.errors, [d.format() for d in report.errors]
    catalogue = Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)
    return LibraryBuild(report, plan=None, catalogue=catalogue,  # type: ignore[arg-type]  (no step here reads it)
                        history=read_catalogue_history(catalogue_dir))


def test_history_holds_each_bundles_ring_timeline(build: LibraryBuild) -> None:
    timeline = build.history.rings["neighbour-pattern"]
    assert [(m.before, m.after, m.change.subject) for m in timeline] == [
        (None, "trial", "Start the catalogue"), ("trial", "adopt", MOVE_SUBJECT)]
    assert [m.slug for m in build.history.ring_moves()] == ["neighbour-pattern"]


def test_the_feed_has_an_entry_for_the_ring_move(build: LibraryBuild, tmp_path: Path) -> None:
    write_feed(PostBuildContext(tmp_path, build))
    feed = feedparser.parse((tmp_path / FEED_PATH).read_bytes())
    moves = [e for e in feed.entries if e.tags[0].term == "ring-moved"]
    assert [e.title for e in moves] == ["Neighbour pattern: Trial → Adopt"]
    assert MOVE_SUBJECT in moves[0].summary


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_patternbook_diff_reports_the_ring_move(catalogue_dir: Path, output_format: str) -> None:
    rendered = render_diff(diff_git_refs(catalogue_dir, "HEAD~1", "HEAD"), output_format)
    if output_format == "json":
        [entry] = [c for c in json.loads(rendered)["changed"] if c["slug"] == "neighbour-pattern"]
        [move] = [c for c in entry["changes"] if c["field"] == "adoption.ring"]
        assert (move["kind"], move["message"], move["old"], move["new"]) == (
            "moved", "neighbour-pattern: trial → adopt", "trial", "adopt")
    elif output_format == "markdown":
        assert "- neighbour\\-pattern\\: trial → adopt" in rendered
    else:
        assert "    neighbour-pattern: trial → adopt\n" in rendered


def test_tech_radar_json_has_the_plugins_shape_and_the_git_timeline(build: LibraryBuild, tmp_path: Path) -> None:
    import jsonschema

    write_tech_radar(PostBuildContext(tmp_path, build, site_url="https://patterns.example.test/"))
    document = json.loads((tmp_path / TECH_RADAR_PATH).read_text(encoding="utf-8"))
    jsonschema.validate(document, TECH_RADAR_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [q["id"] for q in document["quadrants"]] == ["reliability"]
    assert [r["id"] for r in document["rings"]] == ["adopt", "trial", "assess", "hold"]
    entries = {e["id"]: e for e in document["entries"]}
    assert sorted(entries) == ["neighbour-anti-pattern", "neighbour-pattern", "priced-cost-model"]
    moved = entries["neighbour-pattern"]
    assert [(s["ringId"], s["date"], s["moved"]) for s in moved["timeline"]] == [
        ("adopt", "2026-03-01", 1), ("trial", "2026-01-05", 0)]
    assert moved["links"] == [{"url": "https://patterns.example.test/patterns/neighbour-pattern.html",
                               "title": "Neighbour pattern"}]


def test_no_ring_no_tech_radar(build: LibraryBuild, tmp_path: Path) -> None:
    catalogue = build.catalogue

    def unringed(bundles):
        return {slug: bundle.model_copy(update={"adoption": None}) for slug, bundle in bundles.items()}

    bare = Catalogue.from_models(catalogue.definitions, unringed(catalogue.patterns), unringed(catalogue.anti_patterns))
    write_tech_radar(PostBuildContext(tmp_path, LibraryBuild(build.report, plan=None,  # type: ignore[arg-type]
                                                             catalogue=bare)))
    assert not (tmp_path / TECH_RADAR_PATH).exists()
