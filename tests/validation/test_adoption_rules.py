"""Adoption settings in ``catalogue.yaml`` name only rings and categories the catalogue has (PB705),
and the adoption date is judged against ``--today`` (PB704)."""

from __future__ import annotations

import datetime
from pathlib import Path

from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY


def _with_adoption(catalogue_dir: Path, section: str) -> None:
    path = catalogue_dir / "catalogue.yaml"
    text = path.read_text(encoding="utf-8")
    head = text[:text.index("adoption:")]
    path.write_text(head + section, encoding="utf-8")


def test_unknown_rings_and_categories_in_the_adoption_section_are_positioned(catalogue_dir: Path) -> None:
    _with_adoption(catalogue_dir, """adoption:
  anti_pattern_ring: hodl
  require:
    - {ring: adoptt, known_uses: 3}
  quadrants:
    - id: all
      title: Everything
      categories: [reliabilty]
""")
    report = validate_paths([catalogue_dir], today=datetime.date.fromisoformat(FIXED_TODAY))
    found = [d.format() for d in report.diagnostics if d.code == "PB705"]
    assert found == [
        "catalogue/catalogue.yaml:16:22: PB705 adoption.anti_pattern_ring: no ring 'hodl' in adoption.rings "
        "(did you mean 'hold'?)",
        "catalogue/catalogue.yaml:18:14: PB705 adoption.require[0].ring: no ring 'adoptt' in adoption.rings "
        "(did you mean 'adopt'?)",
        "catalogue/catalogue.yaml:20:5: PB705 adoption.quadrants: categories in no quadrant: reliability "
        "(list every category under one quadrant, or leave quadrants out)",
        "catalogue/catalogue.yaml:22:20: PB705 adoption.quadrants[0].categories[0]: no category 'reliabilty' in "
        "catalogue.yaml (did you mean 'reliability'?)",
    ]


def test_an_adoption_date_is_judged_against_the_day_given(catalogue_dir: Path) -> None:
    ringed = catalogue_dir / "neighbour-pattern"
    def adoption_dates(today: datetime.date) -> list[str]:
        return [d.field for d in validate_paths([ringed], today=today).errors if d.code == "PB704"]

    assert adoption_dates(datetime.date(2026, 1, 4)) == ["adoption.since"]
    assert adoption_dates(datetime.date(2026, 1, 5)) == []
