"""The committed JSON Schema for editors is generated from the models, never edited by hand."""

from __future__ import annotations

import json

from patternbook.schema import pattern_json_schema
from tests.conftest import PROJECT

COMMITTED = PROJECT / "schema" / "pattern.schema.json"


def test_committed_schema_matches_the_models(update_goldens: bool) -> None:
    generated = json.dumps(pattern_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if update_goldens:
        COMMITTED.write_text(generated, encoding="utf-8")
    assert COMMITTED.read_text(encoding="utf-8") == generated, (
        "schema/pattern.schema.json is stale: run 'patternbook schema -o schema/pattern.schema.json'")


def _as_json(value: object) -> object:
    """What a YAML-to-JSON tool hands a JSON Schema validator: dates become ISO strings."""
    import datetime

    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _document(bundle_dir):
    from patternbook.loader import load_bundle

    return _as_json(load_bundle(bundle_dir).pattern.data)


def test_jsonschema_accepts_every_shipped_bundle() -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text()))
    bundles = [p for p in sorted((PROJECT / "patterns").iterdir()) if p.is_dir()]
    assert len(bundles) >= 30
    for bundle in bundles:
        errors = [e.message for e in validator.iter_errors(_document(bundle))]
        assert errors == [], (bundle.name, errors[:3])


#: Negative fixtures whose fault a JSON Schema can express (types, required keys,
#: closed vocabularies, lengths, item counts, patterns, unknown keys). The rest —
#: placeholders, positions, cross-bundle rules, prose rules — only Patternbook checks.
SCHEMA_EXPRESSIBLE = [
    "missing-failure-edges", "one-failure-edge", "misspelled-field", "bad-status", "too-few-when-not-to-use",
    "too-short-force", "wrong-type-list", "yaml11-boolean", "yaml11-sexagesimal", "yaml11-float",
    "slug-in-yaml", "diagram-traversal-id", "not-a-mapping",
    "unknown-kind", "anti-pattern-with-cost", "anti-pattern-without-way-out",
]


def test_jsonschema_rejects_the_negative_fixtures_it_can_express() -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text()))
    cases = PROJECT / "tests" / "validation" / "cases" / "negative"
    for name in SCHEMA_EXPRESSIBLE:
        assert list(validator.iter_errors(_document(cases / name))), name


def test_jsonschema_accepts_the_positive_fixtures_of_both_kinds() -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text()))
    positive = sorted((PROJECT / "tests" / "validation" / "cases" / "positive").iterdir())
    kinds = set()
    for case in positive:
        document = _document(case)
        kinds.add(document.get("kind", "pattern"))
        assert [e.message for e in validator.iter_errors(document)] == [], case.name
    assert kinds == {"pattern", "anti-pattern"}


def test_editors_choose_the_kind_before_the_fields() -> None:
    """An ``if``/``then``/``else`` on ``kind``, so yaml-language-server offers one kind's fields."""
    schema = pattern_json_schema()
    assert schema["if"] == {"properties": {"kind": {"const": "anti-pattern"}}, "required": ["kind"]}
    assert schema["then"] == {"$ref": "#/$defs/AntiPatternFile"}
    assert schema["else"] == {"$ref": "#/$defs/PatternFile"}
    anti = schema["$defs"]["AntiPatternFile"]["properties"]
    assert {"refactor_to", "signals", "harms"} <= set(anti) and not {"cost", "operations"} & set(anti)
