"""The bundle reference lists every field of every model, and a new field with no Markdown edit."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from patternbook.reference.fields import ITEM, field_entries, field_reference_section, first_example
from patternbook.reference.handbook import Checkout, bundle_reference_page
from patternbook.schema import AntiPatternFile, CatalogueFile, PatternFile
from patternbook.schema.base import StrictModel
from tests.conftest import PROJECT


def _nested_model(annotation: object) -> tuple[type[BaseModel], str] | None:
    """The model inside ``annotation`` (``X``, ``X | None``, ``list[X]``, ``dict[str, X]``) and the
    path suffix its fields get (``[]`` for list items, ``.{}`` for map values)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _nested_model(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    if origin in (typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _nested_model(argument)
            if found:
                return found
    if origin is list:
        found = _nested_model(typing.get_args(annotation)[0])
        return (found[0], ITEM + found[1]) if found else None
    if origin is dict:
        found = _nested_model(typing.get_args(annotation)[1])
        return (found[0], ".{}" + found[1]) if found else None
    return None


def model_field_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field path of ``model``, read from pydantic's ``model_fields`` (not the JSON Schema the
    generator walks), aliases as written in YAML."""
    paths = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}.{info.alias or name}" if prefix else (info.alias or name)
        paths.add(path)
        nested = _nested_model(info.annotation)
        if nested:
            paths |= model_field_paths(nested[0], path + nested[1])
    return paths


@pytest.fixture(scope="module")
def reference_page() -> str:
    """The bundle reference as the handbook builds it (reading every shipped bundle takes seconds: once)."""
    return bundle_reference_page(Checkout(PROJECT))


def test_every_field_of_every_bundle_model_is_in_the_reference(reference_page: str) -> None:
    page = reference_page
    for model in (PatternFile, AntiPatternFile, CatalogueFile):
        listed = {entry.path for entry in field_entries(model)}
        expected = model_field_paths(model)
        assert expected <= listed, sorted(expected - listed)
        for path in expected:
            assert f"<code>{_escaped(path)}</code>" in page, path


def _escaped(path: str) -> str:
    from patternbook.escaping import markdown_inline

    return str(markdown_inline(path))


def test_a_field_added_to_a_model_reaches_the_reference_with_no_markdown_edit() -> None:
    class Rollout(StrictModel):
        ring: typing.Literal["adopt", "trial", "assess", "hold"]
        """Where the pattern stands in our organisation."""

    class PatternWithRollout(PatternFile):
        rollout: list[Rollout] = Field(default_factory=list, max_length=3)
        """Rings by team."""

    section = field_reference_section(PatternWithRollout)
    assert "<code>rollout</code>" in section and "<code>rollout\\[\\].ring</code>" in section
    assert "<code>trial</code>" in section and "Where the pattern stands in our organisation." in section
    assert "at most 3 items" in section


def test_limits_allowed_values_defaults_and_examples_come_from_the_models_and_real_bundles() -> None:
    entries = {entry.path: entry for entry in field_entries(PatternFile)}
    assert entries["review_interval_days"].limits == ("30–730",) and entries["review_interval_days"].required
    assert entries["status"].allowed == ("draft", "reviewed", "proven", "deprecated")
    assert entries["diagrams[].direction"].default == "LR" and not entries["diagrams[].direction"].required
    assert entries["failure_edges"].type == "list of mappings" and "2–10 items" in entries["failure_edges"].limits
    documents = [{"failure_edges": [{"detection": "Alarm X fires"}]}, {"title": "later"}]
    assert first_example("failure_edges[].detection", documents) == "Alarm X fires"
    assert first_example("title", documents) == "later"
    assert first_example("cost.estimate.low", documents) is None


def test_hostile_text_in_a_description_stays_text() -> None:
    class Hostile(StrictModel):
        value: str = ""
        """<script>alert(1)</script> | [x](javascript:alert(1))"""

    section = field_reference_section(Hostile)
    assert "<script>" not in section and "&lt;script&gt;" in section
    assert "](javascript" not in section and "\\|" in section


#: A table cell boundary: a ``|`` that is not escaped text inside a cell.
_CELL_BOUNDARY = re.compile(r"(?<!\\)\|")
_MEANING_COLUMN = 4


def fields_without_meaning(page: str) -> dict[str, list[str]]:
    """The field rows of a bundle reference page whose Meaning cell is empty, by section heading."""
    empty: dict[str, list[str]] = {}
    section = ""
    for line in page.splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("| <code>"):
            cells = [cell.strip() for cell in _CELL_BOUNDARY.split(line)[1:-1]]
            if not cells[_MEANING_COLUMN]:
                empty.setdefault(section, []).append(cells[0])
    return empty


def test_every_field_of_the_bundle_reference_says_what_it_means(reference_page: str) -> None:
    """A field added without an attribute docstring shows an empty Meaning cell: give it one."""
    rows = [line for line in reference_page.splitlines() if line.startswith("| <code>")]
    assert len(rows) == sum(len(field_entries(model)) for model in (PatternFile, AntiPatternFile, CatalogueFile))
    assert fields_without_meaning(reference_page) == {}


def test_a_field_without_a_docstring_is_reported_with_its_section(tmp_path: Path) -> None:
    class PatternWithUndocumentedField(PatternFile):
        wave: int = 1

    (tmp_path / "patterns").mkdir()
    (tmp_path / "patterns" / "catalogue.yaml").write_text("{}\n", encoding="utf-8")
    page = bundle_reference_page(Checkout(tmp_path), pattern_model=PatternWithUndocumentedField)
    assert fields_without_meaning(page) == {"pattern.yaml: a pattern": ["<code>wave</code>"]}
