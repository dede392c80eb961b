"""``patternbook diff`` on what a hostile pull request can commit: a ``.gitattributes``
that hides a bundle from ``git archive``, symlinks, raw YAML and folder names written
to forge a job summary or a CI log line. The Markdown is read back with a CommonMark
parser (markdown-it, the rules GitHub's cmark-gfm shares) to see what a reviewer sees."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from patternbook.cli import main
from patternbook.escaping import escape_gfm_text

CASES = Path(__file__).parent / "validation" / "cases"
HOSTILE_TEXT = ("Fine\n\n## Approved: all checks passed\n\n- [x] @octocat <img src=x onerror=alert(1)> "
                "![i](https://evil.example/p.png) `tick` ``` www.evil.example @org/team &#64;me")
HOSTILE_LOG_LINE = "::error::pwned\x1b[2J\n  ::add-mask::x\n##[set-output name=a;]b"


def git(*arguments: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *arguments], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repository(catalogue_dir: Path) -> Path:
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue_dir / "minimal-valid")
    git("init", "-q", "-b", "main", cwd=catalogue_dir.parent)
    git("add", "-A", cwd=catalogue_dir.parent)
    git("commit", "-q", "-m", "base", cwd=catalogue_dir.parent)
    return catalogue_dir


def commit_and_diff(catalogue: Path, capsys: pytest.CaptureFixture[str], output_format: str) -> str:
    git("add", "-A", cwd=catalogue.parent)
    git("commit", "-q", "-m", "head", cwd=catalogue.parent)
    assert main(["diff", "HEAD~1", "HEAD", "--catalogue", str(catalogue), "--format", output_format]) == 0
    return capsys.readouterr().out


def add_bundle(catalogue: Path, folder: str, title: str | None = None, extra: str = "") -> None:
    shutil.copytree(CASES / "positive" / "minimal-valid", catalogue / folder)
    pattern = catalogue / folder / "pattern.yaml"
    text = pattern.read_text(encoding="utf-8")
    if title is not None:
        text = text.replace("title: Minimal valid pattern", f"title: {json.dumps(title)}", 1)  # JSON is YAML
    pattern.write_text(text + extra, encoding="utf-8")


def markdown_tokens(markdown: str) -> list:
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)
    return [*tokens, *(child for token in tokens for child in token.children or [])]


def test_export_ignore_cannot_hide_an_added_bundle(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_bundle(repository, "hidden-one")
    (repository / ".gitattributes").write_text("hidden-one export-ignore\n*/solution.md export-ignore\n",
                                               encoding="utf-8")
    summary = commit_and_diff(repository, capsys, "markdown")
    assert "No pattern changed" not in summary
    assert "### Added" in summary and "hidden\\-one" in summary
    assert "Not valid in the head" not in summary  # every solution.md was read too


def test_symlinks_are_problems_in_the_summary_not_a_crash(repository: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (repository / "minimal-valid" / "notes.md").symlink_to("/etc/passwd")
    (repository / "linked-folder").symlink_to("/etc")
    summary = commit_and_diff(repository, capsys, "markdown")
    assert "### Not valid in the head" in summary
    assert "minimal\\-valid\\/notes\\.md\\:1\\:1\\: PB005 is a symlink" in summary
    assert "linked\\-folder\\:1\\:1\\: PB005 is a symlink\\; bundles must be real folders" in summary
    assert "root:" not in summary  # nothing was read through a link


def test_the_same_commit_on_both_sides_is_an_empty_diff(repository: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "HEAD", "HEAD", "--catalogue", str(repository), "--format", "markdown"]) == 0
    assert "No pattern changed." in capsys.readouterr().out


def test_contributor_text_cannot_add_markup_to_the_summary(repository: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    add_bundle(repository, "forged-title", HOSTILE_TEXT)
    add_bundle(repository, "<b>@octocat<b>`x`| a |", extra="\n# Approved\n")  # not a slug: invalid, raw YAML
    summary = commit_and_diff(repository, capsys, "markdown")
    tokens = markdown_tokens(summary)
    headings = ["".join(child.content for child in tokens[i + 1].children)
                for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert headings[0].startswith("Catalogue changes: HEAD~1 (")
    assert headings[1:] == ["Added", "Not valid in the head (run patternbook validate)"]
    kinds = {token.type for token in tokens}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "blockquote_open", "table_open", "fence",
                        "code_block", "s_open"}
    assert [token.content for token in tokens if token.type == "code_inline"] == ["patternbook validate"]
    text = "".join(token.content for token in tokens if token.type == "text")
    assert "@octocat" not in text and "@\u200doctocat" in text and "@\u200dorg/team &#64;me" in text
    assert "<img src=x onerror=alert(1)>" in text  # shown as text, exactly as written
    assert "Fine ## Approved: all checks passed - [x]" in text


def test_the_text_format_prints_no_workflow_command(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An unknown field: invalid, so compared from raw YAML, where a field name starts a message line.
    add_bundle(repository, "log-forger", HOSTILE_LOG_LINE, extra=f"{json.dumps(HOSTILE_LOG_LINE)}: 1\n")
    output = commit_and_diff(repository, capsys, "text")
    assert "log-forger: added" in output and "! log-forger: does not validate" in output
    for line in output.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line and "\x1b" not in line, line
    assert "pwned" in output


@pytest.mark.parametrize("value", ["# h", "1. x", "> q", "| a | b |", "<img src=x>", "```", "~~~", "---", "===",
                                   "[l](https://e)", "https://e.example", "&#64;x &amp;", "a\n# b", "    code",
                                   "*em* _em_ ~~s~~", "- [x] task", "\\`x\\`", "x\u202ey\x1bz"])
def test_escape_gfm_text_reads_back_as_one_paragraph_of_the_same_text(value: str) -> None:
    escaped = escape_gfm_text(value)
    assert "\n" not in escaped
    for line in (escaped, f"- {escaped}", f"#### {escaped}"):
        tokens = markdown_tokens(line)
        assert [t.type for t in tokens if t.type not in ("inline", "text")] in (
            ["paragraph_open", "paragraph_close"], ["bullet_list_open", "list_item_open", "paragraph_open",
                                                    "paragraph_close", "list_item_close", "bullet_list_close"],
            ["heading_open", "heading_close"])
        shown = "".join(t.content for t in tokens if t.type == "text")
        assert shown == " ".join(value.split()).replace("\u202e", "\ufffd").replace("\x1b", "\ufffd")
