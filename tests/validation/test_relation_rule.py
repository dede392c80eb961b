"""The relation rule: a catalogue is valid from its first pattern, and once it
holds others, a pattern that relates to none of them is a warning (PB309)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from patternbook.validation import validate_paths
from tests.conftest import FIXTURE_CATALOGUE
from tests.validation.test_cases import CASES, TODAY

MINIMAL = CASES / "positive" / "minimal-valid"


def _without_relations(bundle: Path, *, keep_key: bool) -> None:
    """Drop the relations block; ``keep_key`` leaves ``relations: []`` behind."""
    pattern = bundle / "pattern.yaml"
    text = re.sub(r"(?m)^relations:\n(?:  .*\n)+", "relations: []\n" if keep_key else "", pattern.read_text())
    assert "pattern: neighbour-pattern" not in text
    pattern.write_text(text)


@pytest.mark.parametrize("keep_key", [False, True], ids=["no-relations-key", "empty-relations"])
def test_a_catalogue_of_one_pattern_is_valid_with_no_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            keep_key: bool) -> None:
    monkeypatch.chdir(tmp_path)
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    vocabulary = yaml.safe_load((FIXTURE_CATALOGUE / "catalogue.yaml").read_text())
    vocabulary["series"] = []  # the fixture's series name the other patterns
    (catalogue / "catalogue.yaml").write_text(yaml.safe_dump(vocabulary))
    shutil.copytree(MINIMAL, catalogue / "minimal-valid")
    _without_relations(catalogue / "minimal-valid", keep_key=keep_key)
    report = validate_paths([catalogue], today=TODAY, strict=True)
    assert [d.format() for d in report.diagnostics] == []
    assert list(report.patterns) == ["minimal-valid"]


def test_a_pattern_relating_to_nothing_among_others_is_a_positioned_warning(catalogue_dir: Path) -> None:
    bundle = catalogue_dir / "lonely-pattern"
    shutil.copytree(MINIMAL, bundle)
    (bundle / "pattern.yaml").write_text((bundle / "pattern.yaml").read_text().replace(
        "title: ", "title: Lonely ", 1))
    _without_relations(bundle, keep_key=True)
    relations_line = (bundle / "pattern.yaml").read_text().splitlines().index("relations: []") + 1

    report = validate_paths([catalogue_dir], today=TODAY)
    lonely = [d for d in report.diagnostics if d.code == "PB309"]
    assert [(d.path, d.line, d.field, d.is_error) for d in lonely] == [
        ("catalogue/lonely-pattern/pattern.yaml", relations_line, "relations", False)]
    assert "lonely-pattern" in report.patterns  # a warning: the pattern still publishes
    assert "add relations" in lonely[0].hint

    strict = validate_paths([catalogue_dir], today=TODAY, strict=True)
    assert any(d.code == "PB309" and d.is_error for d in strict.diagnostics)

