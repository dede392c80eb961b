"""Hostile diagram specs are refused at validation, with positions, before any ``dot`` runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patternbook.loader import load_bundle
from patternbook.validation import validate_bundle

CASE = Path(__file__).parents[1] / "validation" / "cases" / "positive" / "minimal-valid"


def _validate_with(tmp_path: Path, old: str, new: str) -> list:
    bundle_dir = tmp_path / "minimal-valid"
    shutil.copytree(CASE, bundle_dir)
    pattern_file = bundle_dir / "pattern.yaml"
    text = pattern_file.read_text()
    assert old in text
    pattern_file.write_text(text.replace(old, new, 1))
    pattern, diagnostics = validate_bundle(load_bundle(bundle_dir), None)
    assert pattern is None
    return diagnostics


@pytest.mark.parametrize(("old", "new", "code", "field"), [
    ("label: Work queue", 'label: "<<b>Work</b>>"', "PB207", "diagrams[0].nodes[1].label"),
    ("label: Work queue", 'label: "Work\\u0007queue"', "PB211", "diagrams[0].nodes[1].label"),
    ("{id: queue,", "{id: ../queue,", "PB207", "diagrams[0].nodes[1].id"),
    ("kind: aws.integration.SQS", "kind: aws.integration.SQSS", "PB501", "diagrams[0].nodes[1].kind"),
    ("kind: aws.integration.SQS", "kind: custom.custom.Custom", "PB501", "diagrams[0].nodes[1].kind"),
    ("kind: aws.integration.SQS", 'kind: "aws.integration.SQS\\" image=\\"/etc/passwd"', "PB207",
     "diagrams[0].nodes[1].kind"),
    ("{from: producer, to: queue, label: send}", "{from: producer, to: queue, label: send, URL: 'javascript:x'}",
     "PB202", "diagrams[0].edges[0].URL"),
])
def test_hostile_spec_is_refused_with_its_position(tmp_path: Path, old: str, new: str, code: str,
                                                   field: str) -> None:
    diagnostics = _validate_with(tmp_path, old, new)
    matching = [d for d in diagnostics if d.code == code and d.field == field]
    assert matching, [d.format() for d in diagnostics]
    assert matching[0].line > 1 and matching[0].path.endswith("pattern.yaml")


def test_unknown_kind_suggests_the_closest(tmp_path: Path) -> None:
    diagnostics = _validate_with(tmp_path, "kind: aws.integration.SQS", "kind: aws.integration.Sqs")
    (unknown,) = [d for d in diagnostics if d.code == "PB501"]
    assert "aws.integration.SQS" in unknown.hint


def test_two_thousand_edges_are_refused(tmp_path: Path) -> None:
    edges = "".join(f"      - {{from: producer, to: queue, label: e{i}}}\n" for i in range(2000))
    diagnostics = _validate_with(tmp_path, "    edges:\n", "    edges:\n" + edges)
    assert any(d.code == "PB503" and d.field == "diagrams[0].edges" for d in diagnostics)
