"""Discovery data: catalogue.json against its generated schema, ranking, comparisons."""

from __future__ import annotations

import json
from pathlib import Path

from patternbook.catalogue import Catalogue
from patternbook.pages import catalogue_document, catalogue_document_schema
from patternbook.validation import validate_paths
from tests.conftest import PROJECT


def _shipped() -> Catalogue:
    report = validate_paths([PROJECT / "patterns"])
    return Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)


def test_catalogue_json_validates_against_its_schema() -> None:
    import jsonschema

    document = json.loads(json.dumps(catalogue_document(_shipped())))
    schema = catalogue_document_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema)
    assert len(document["patterns"]) >= 30
    assert {"slug", "failure_edges", "cost", "solution"} <= set(document["patterns"][0])
    assert len(document["anti_patterns"]) >= 5
    assert {p["kind"] for p in document["patterns"]} == {"pattern"}
    assert {a["kind"] for a in document["anti_patterns"]} == {"anti-pattern"}
    assert all(a["refactor_to"] and "cost" not in a for a in document["anti_patterns"])


def test_symptom_ranking_puts_the_most_direct_answer_first() -> None:
    ranked = [p.slug for p in _shipped().ranked_for_symptom("dependency-latency-cascades")]
    assert ranked[0] == "circuit-breaker"


def test_alternatives_are_grouped_in_both_directions(tmp_path: Path) -> None:
    groups = [{p.slug for p in group} for group in _shipped().alternative_groups()]
    assert {"blue-green-deployment", "canary-with-slo-rollback"} in groups
    assert all(len(group) >= 2 for group in groups)
