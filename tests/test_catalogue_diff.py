"""``patternbook diff`` on a small git history built in a temporary repository:
each kind of change a reviewer needs is made in a commit, and the diff must name it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from patternbook.catalogue_diff import diff_git_refs, render_diff
from patternbook.cli import main

CASES = Path(__file__).parent / "validation" / "cases"


def git(*arguments: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *arguments], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDGE_ONE = """  - fails: The backlog grows faster than consumers drain it after a long burst.
    trigger: A burst lasting longer than the queue retention and consumer catch-up allow.
    blast_radius: Every producer's work is delayed and the oldest messages near expiry.
    detection: ApproximateAgeOfOldestMessage rises above the agreed latency objective.
    mitigation: Scale consumers on queue depth and cap producers with a rate limit.
    recovery: Add consumer capacity, then replay expired messages from the archive.
"""
EDGE_TWO = """  - fails: A malformed message is retried forever and blocks a consumer slot.
    trigger: A producer deploy emits a payload that the consumer cannot parse.
    blast_radius: Throughput drops by one consumer per poison message in flight.
    detection: ApproximateReceiveCount above five on messages in the main queue.
    mitigation: Set maxReceiveCount and route failures to a dead letter queue.
    recovery: Fix the consumer or producer, then redrive the dead letter queue.
"""
EDGE_THREE = """  - fails: Consumers scale out faster than the database behind them can accept connections.
    trigger: A deep backlog makes the autoscaler add consumers all at once after an outage.
    blast_radius: The shared database rejects connections for every service, not only this one.
    detection: DatabaseConnections at the instance limit while consumer count keeps rising.
    mitigation: Cap consumer concurrency below the connection budget of the database.
    recovery: Lower the concurrency cap, let connections drain, then raise it in steps.
"""


@pytest.fixture
def history(catalogue_dir: Path) -> tuple[Path, list[str]]:
    """A repository with three commits: the fixture catalogue; a commit that edits,
    renames and adds; a commit that removes a pattern others point at."""
    repository = catalogue_dir.parent
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue_dir / "minimal-valid")
    git("init", "-q", "-b", "main", cwd=repository)
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "catalogue", cwd=repository)
    commits = [git("rev-parse", "HEAD", cwd=repository)]

    pattern = catalogue_dir / "minimal-valid" / "pattern.yaml"
    edit(pattern, EDGE_ONE + EDGE_TWO, EDGE_TWO + EDGE_ONE + EDGE_THREE)
    edit(pattern, "    high: 40\n", "    high: 60\n")
    edit(pattern, "status: reviewed", "status: proven")
    edit(pattern, "last_reviewed: 2026-10-01", "last_reviewed: 2026-11-15")
    edit(pattern, "    ref: fb7b5d06c27d8abb1bd35e52ab7523acf4baab7b\n",
         "    ref: 4f2a9c1d4f2a9c1d4f2a9c1d4f2a9c1d4f2a9c1d\n")
    edit(pattern, "    pattern: neighbour-pattern\n",
         "    pattern: neighbour-pattern\n  - type: complements\n    pattern: other-neighbour-renamed\n")
    edit(catalogue_dir / "minimal-valid" / "solution.md", "The producer sends a message and returns at once.",
         "The producer sends a message with an idempotency key and returns at once, before any work is done.")
    edit(catalogue_dir / "catalogue.yaml", "tags: [resilience, queues, latency]",
         "tags: [resilience, queues, latency, idempotency]")
    edit(catalogue_dir / "catalogue.yaml", "patterns: [neighbour-pattern, other-neighbour]",
         "patterns: [other-neighbour-renamed, neighbour-pattern]")
    git("mv", "catalogue/other-neighbour", "catalogue/other-neighbour-renamed", cwd=repository)
    shutil.copytree(catalogue_dir / "minimal-valid", catalogue_dir / "brand-new")
    edit(catalogue_dir / "brand-new" / "pattern.yaml", "title: Minimal valid pattern", "title: Brand new pattern")
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "edit, rename and add", cwd=repository)
    commits.append(git("rev-parse", "HEAD", cwd=repository))

    shutil.rmtree(catalogue_dir / "neighbour-pattern")
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "remove a pattern others point at", cwd=repository)
    commits.append(git("rev-parse", "HEAD", cwd=repository))
    return catalogue_dir, commits


def messages(result, slug: str) -> list[str]:
    return [change.message for entry in result.changed if entry.slug == slug for change in entry.changes]


def test_edits_renames_and_additions_are_named_field_by_field(history: tuple[Path, list[str]]) -> None:
    catalogue, commits = history
    result = diff_git_refs(catalogue, commits[0], commits[1])
    assert [card["slug"] for card in result.added] == ["brand-new"]
    assert result.removed == []
    assert [(entry.renamed_from, entry.slug) for entry in result.renamed] == [
        ("other-neighbour", "other-neighbour-renamed")]
    found = messages(result, "minimal-valid")
    assert "breaks first changed: “The backlog grows faster than consumers drain it after a long burst.” → " \
           "“A malformed message is retried forever and blocks a consumer slot.”" in found
    assert any(m.startswith("failure edge added at position 3: “Consumers scale out faster") for m in found)
    assert any(m.startswith("failure edges reordered: ") for m in found)
    assert "cost range changed: USD 1–40 per month → USD 1–60 per month" in found
    assert "status reviewed → proven" in found
    assert "re-reviewed: 2026-10-01 → 2026-11-15" in found
    assert "relation added: complements other-neighbour-renamed" in found
    assert "repository https://github.com/aws-samples/serverless-patterns ref moved: fb7b5d06c2 → 4f2a9c1d4f" in found
    assert "prose section “Flow” changed (+10/−1 words)" in found
    assert not any("Components" in m or "Boundaries" in m for m in found)
    assert [c.message for c in result.vocabulary] == [
        "tags: idempotency added",
        "series basics: patterns neighbour-pattern, other-neighbour → other-neighbour-renamed, neighbour-pattern"]
    # The neighbour still points at the old slug: the reviewer sees the relation it broke.
    assert "relation broken: complements other-neighbour, which is not in the catalogue" in messages(
        result, "neighbour-pattern")


def test_a_removed_pattern_is_listed_with_the_relations_it_breaks(history: tuple[Path, list[str]]) -> None:
    catalogue, commits = history
    result = diff_git_refs(catalogue, commits[1], commits[2])
    assert [card["slug"] for card in result.removed] == ["neighbour-pattern"]
    assert result.added == [] and result.renamed == []
    assert "relation broken: complements neighbour-pattern, which is not in the catalogue" in messages(
        result, "minimal-valid")


def test_no_change_is_an_empty_diff(history: tuple[Path, list[str]]) -> None:
    catalogue, commits = history
    result = diff_git_refs(catalogue, commits[2])  # against the working tree, which is that commit
    assert result.empty and result.unchanged == 4  # three patterns and the fixture anti-pattern
    assert "No pattern changed." in render_diff(result, "markdown")


def test_the_working_tree_is_the_default_head(history: tuple[Path, list[str]]) -> None:
    catalogue, commits = history
    edit(catalogue / "brand-new" / "pattern.yaml", "status: proven", "status: deprecated\nsuperseded_by: minimal-valid")
    found = messages(diff_git_refs(catalogue, commits[2]), "brand-new")
    assert "status proven → deprecated" in found
    assert "superseded by (none) → minimal-valid" in found


def test_cli_formats(history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    catalogue, commits = history
    base, head = commits[0], commits[1]

    assert main(["diff", base, head, "--catalogue", str(catalogue)]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].endswith("1 added, 0 removed, 1 renamed, 2 changed, 1 unchanged")
    assert "+ brand-new: added (Brand new pattern, proven)" in text
    assert "~ other-neighbour-renamed: renamed from other-neighbour" in text

    assert main(["diff", base, head, "--catalogue", str(catalogue), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith(f"## Catalogue changes: {base} → {head}\n")
    assert "### Added" in markdown and "### Changed" in markdown
    assert "#### Other neighbour (other\\-neighbour\\-renamed) — renamed from other\\-neighbour" in markdown

    assert main(["diff", base, head, "--catalogue", str(catalogue), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"added": 1, "removed": 0, "renamed": 1, "changed": 2, "unchanged": 1}
    assert document["base"]["commit"] == base and document["head"]["commit"] == head
    kinds = {(change["field"], change["kind"]) for entry in document["changed"] for change in entry["changes"]}
    assert {("failure_edges", "breaks_first"), ("failure_edges", "reordered"), ("failure_edges", "added"),
            ("cost.estimate", "range"), ("status", "changed"), ("relations", "added"), ("relations", "broken"),
            ("repositories", "moved"), ("solution.Flow", "changed")} <= kinds


def test_bad_refs_are_usage_errors(history: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    catalogue, _ = history
    assert main(["diff", "no-such-ref", "--catalogue", str(catalogue)]) == 2
    assert "'no-such-ref' is not a commit" in capsys.readouterr().err
    # A ref that git would read as an option never reaches git.
    assert main(["diff", "--catalogue", str(catalogue), "--", "--output=/tmp/x"]) == 2
    assert "'--output=/tmp/x' is not a git ref" in capsys.readouterr().err


def test_a_repriced_driver_and_a_changed_workload_are_named(catalogue_dir: Path) -> None:
    repository = catalogue_dir.parent
    shutil.copytree(CASES / "positive" / "priced-cost-model", catalogue_dir / "priced-cost-model")
    git("init", "-q", "-b", "main", cwd=repository)
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "catalogue", cwd=repository)
    base = git("rev-parse", "HEAD", cwd=repository)
    pattern = catalogue_dir / "priced-cost-model" / "pattern.yaml"
    edit(pattern, "        amount: 0.40\n", "        amount: 0.45\n")
    edit(pattern, "      high: 50000000\n", "      high: 45000000\n")
    git("commit", "-q", "-am", "reprice", cwd=repository)
    found = messages(diff_git_refs(catalogue_dir, base, git("rev-parse", "HEAD", cwd=repository)),
                     "priced-cost-model")
    assert "cost workload changed (1 → 1 parameter(s))" in found
    assert any(m.startswith("cost driver Standard queue edited") for m in found)


@pytest.mark.parametrize("written", [".nan", ".inf", "-.inf"])
def test_a_cost_json_cannot_hold_is_shown_as_written_and_the_json_stays_strict(tmp_path: Path, written: str) -> None:
    """A bundle that does not validate may say ``low: .nan``; the cost line crashed on it
    (``int(nan)``) and the JSON diff would have held ``NaN``."""
    from patternbook.catalogue_diff import diff_catalogues, read_side

    sides = []
    for label, low in (("base", "1"), ("head", written)):
        catalogue = tmp_path / label
        shutil.copytree(Path(__file__).parent / "fixtures" / "catalogue", catalogue)
        shutil.copytree(CASES / "positive" / "minimal-valid", catalogue / "minimal-valid")
        edit(catalogue / "minimal-valid" / "pattern.yaml", "    low: 1\n", f"    low: {low}\n")
        sides.append(read_side(catalogue, label))
    diff = diff_catalogues(*sides)
    assert "minimal-valid" in diff.head.invalid
    shown = {".nan": "NaN", ".inf": "Infinity", "-.inf": "-Infinity"}[written]
    assert f"USD {shown}–40 per month" in render_diff(diff, "text")
    render_diff(diff, "markdown")
    json.loads(render_diff(diff, "json"), parse_constant=lambda constant: pytest.fail(f"{constant} in the JSON diff"))
