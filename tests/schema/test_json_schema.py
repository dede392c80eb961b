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
