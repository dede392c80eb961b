"""Every registered code is in the diagnostics reference, with a fix, and every snippet shown is one
the validator really flags with that code."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from patternbook.errors import CODES, FIXES
from patternbook.reference.diagnostics import code_examples, codes_without_example, diagnostics_reference
from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY, PROJECT

NEGATIVE = PROJECT / "tests" / "validation" / "cases" / "negative"
EXAMPLES = code_examples(NEGATIVE)
#: Codes no negative case can produce: an unreadable file, a file over the size limit and a symlink
#: (none can live in git as a fixture); and rules that need more than the one bundle a case is
#: validated as: a title repeated across bundles, an unmirrored relation, a series or vocabulary in
#: catalogue.yaml, two sources at one site path, the radar's adoption settings in catalogue.yaml.
#: tests/hostile and tests/validation cover them.
WITHOUT_FIXTURE = {"PB001", "PB004", "PB005", "PB301", "PB303", "PB305", "PB308", "PB310", "PB705"}


def test_every_registered_code_is_in_the_reference_with_its_meaning_and_fix() -> None:
    page = diagnostics_reference(NEGATIVE)
    assert set(FIXES) == set(CODES), "every code needs a fix in errors.FIXES"
    for code in CODES:
        assert f"### {code}: " in page, code
    assert page.count("### PB") == len(CODES)


def test_codes_without_a_fixture_are_only_those_no_bundle_can_produce() -> None:
    assert set(codes_without_example(NEGATIVE)) == WITHOUT_FIXTURE


def test_a_code_added_to_the_registry_reaches_the_reference_with_no_markdown_edit() -> None:
    codes = {**CODES, "PB999": "a rule added tomorrow"}
    page = diagnostics_reference(NEGATIVE, codes, {**FIXES, "PB999": "Do the new thing."})
    assert "### PB999: a rule added tomorrow" in page and "Do the new thing." in page
    assert "PB999" in codes_without_example(NEGATIVE, codes)


@pytest.mark.parametrize("code", sorted(EXAMPLES), ids=sorted(EXAMPLES))
def test_the_snippet_shown_is_flagged_with_its_code(code: str, catalogue_dir: Path) -> None:
    example = EXAMPLES[code]
    bundle = catalogue_dir / example.case.name
    shutil.copytree(example.case, bundle, ignore=shutil.ignore_patterns("expected.txt"))
    report = validate_paths([bundle], today=datetime.date.fromisoformat(FIXED_TODAY))
    where = f"catalogue/{example.case.name}" + (f"/{example.file}" if example.file else "")
    flagged = {(d.path, d.line, d.column) for d in report.diagnostics if d.code == code}
    assert (where, example.line, example.column) in flagged, [d.format() for d in report.diagnostics]


def test_hostile_fixture_lines_are_shown_literally(tmp_path: Path) -> None:
    case = tmp_path / "hostile"
    case.mkdir()
    (case / "pattern.yaml").write_text("title: ```</code><script>x</script>\u202e\n", encoding="utf-8")
    (case / "expected.txt").write_text("catalogue/hostile/pattern.yaml:1:8: PB211 title: bad\n", encoding="utf-8")
    page = diagnostics_reference(tmp_path, {"PB211": "invisible"}, {"PB211": "Delete it."})
    assert "````text" in page  # a fence longer than the backticks inside
    assert "\u202e" not in page and "<script>x</script>?" in page  # inside a fence, shown as text
