"""The bundle reference: every field of a bundle file, read from the pydantic models.

A hand-kept field table drifts the day a model changes; this one is the models'
own JSON Schema (the same one editors read), walked field by field. Each entry
says the field's type, whether its parent requires it, its limits and allowed
values, the description from the model's attribute docstring, and an example
taken from real bundles (the shipped catalogue), so every example is a value
that validates.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from patternbook.reference.markdown import inline_text, table

__all__ = ["FieldEntry", "field_entries", "field_reference_section", "first_example"]

#: How a list item appears in a field path: ``failure_edges[].detection``.
ITEM = "[]"
#: An example longer than this is cut, with an ellipsis: the reference shows the shape, not a whole answer.
EXAMPLE_CHARS = 90


@dataclass(frozen=True)
class FieldEntry:
    """One field of a bundle file, as the reference shows it."""

    path: str
    """Dotted from the top of the file; list items as ``[]`` and map values as ``{}``."""
    type: str
    required: bool
    """Whether the field's parent requires it (a top-level field: the file)."""
    limits: tuple[str, ...]
    allowed: tuple[str, ...]
    default: str | None
    description: str


def field_entries(model: type[BaseModel]) -> list[FieldEntry]:
    """Every field of ``model`` and of the models inside it, parents before children."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    definitions = schema.get("$defs", {})
    entries: list[FieldEntry] = []
    _walk_object(schema, "", definitions, entries)
    return entries


def _resolve(node: Mapping[str, Any], definitions: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema a ``$ref`` points at, merged under the referring node's own keys."""
    if "$ref" in node:
        target = definitions[node["$ref"].rsplit("/", 1)[-1]]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _without_null(node: Mapping[str, Any], definitions: Mapping[str, Any]) -> Mapping[str, Any]:
    """An optional field's schema (``anyOf: [X, null]``) as X, keeping the field's own keys."""
    node = _resolve(node, definitions)
    options = [option for option in node.get("anyOf", ()) if option.get("type") != "null"]
    if len(options) == 1 and "anyOf" in node:
        inner = _resolve(options[0], definitions)
        own = {k: v for k, v in node.items() if k != "anyOf"}
        return {**inner, **own, "description": own.get("description") or inner.get("description", "")}
    return node


def _walk_object(node: Mapping[str, Any], prefix: str, definitions: Mapping[str, Any],
                 entries: list[FieldEntry]) -> None:
    required = set(node.get("required", ()))
    for name, raw in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        field = _without_null(raw, definitions)
        entries.append(_entry(path, field, name in required, definitions))
        _walk_children(field, path, definitions, entries)


def _walk_children(field: Mapping[str, Any], path: str, definitions: Mapping[str, Any],
                   entries: list[FieldEntry]) -> None:
    if field.get("type") == "array" and "items" in field:
        item = _without_null(field["items"], definitions)
        if item.get("properties"):
            _walk_object(item, path + ITEM, definitions, entries)
    elif field.get("properties"):
        _walk_object(field, path, definitions, entries)
    elif isinstance(field.get("additionalProperties"), dict):
        value = _without_null(field["additionalProperties"], definitions)
        if value.get("properties"):
            _walk_object(value, path + ".{}", definitions, entries)


def _type_name(field: Mapping[str, Any], definitions: Mapping[str, Any]) -> str:
    kind = field.get("type")
    if kind == "array":
        item = _without_null(field.get("items", {}), definitions)
        return f"list of {_plural(_type_name(item, definitions))}"
    if kind == "object" or field.get("properties"):
        if isinstance(field.get("additionalProperties"), dict) and not field.get("properties"):
            names = _without_null(field.get("propertyNames", {}), definitions)
            value = _without_null(field["additionalProperties"], definitions)
            return f"map of {_type_name(names, definitions) if names else 'text'} to {_type_name(value, definitions)}"
        return "mapping"
    if kind == "string":
        return {"date": "date", "uri": "URL"}.get(field.get("format", ""), "text")
    if "anyOf" in field:
        return " or ".join(_type_name(_resolve(o, definitions), definitions) for o in field["anyOf"])
    return {"integer": "whole number", "number": "number", "boolean": "true or false",
            "null": "nothing"}.get(str(kind), str(kind or "any"))


def _plural(name: str) -> str:
    if name.startswith(("list of", "map of")):
        return name
    return {"text": "texts", "mapping": "mappings", "whole number": "whole numbers", "number": "numbers",
            "date": "dates", "URL": "URLs"}.get(name, name)


def _limits(field: Mapping[str, Any], definitions: Mapping[str, Any]) -> tuple[str, ...]:
    limits: list[str] = []
    limits += _range(field, "minItems", "maxItems", "items")
    limits += _range(field, "minProperties", "maxProperties", "entries")
    limits += _range(field, "minLength", "maxLength", "characters")
    limits += _number_range(field)
    if "pattern" in field:
        limits.append(f"matches ``{field['pattern']}``")
    item = field.get("items")
    if isinstance(item, dict):
        item = _without_null(item, definitions)
        if not item.get("properties"):
            limits += [f"each {limit}" for limit in _limits(item, definitions)]
    return tuple(limits)


def _range(field: Mapping[str, Any], low: str, high: str, unit: str) -> list[str]:
    if low in field and high in field:
        return [f"{field[low]}–{field[high]} {unit}"]
    if field.get(low):
        return [f"at least {field[low]} {unit if field[low] != 1 else _SINGULAR[unit]}"]
    if high in field:
        return [f"at most {field[high]} {unit if field[high] != 1 else _SINGULAR[unit]}"]
    return []


_SINGULAR = {"items": "item", "entries": "entry", "characters": "character"}


def _number_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _number_range(field: Mapping[str, Any]) -> list[str]:
    low = field.get("minimum", field.get("exclusiveMinimum"))
    high = field.get("maximum", field.get("exclusiveMaximum"))
    strict = "exclusiveMinimum" in field or "exclusiveMaximum" in field
    if low is not None and high is not None:
        return [f"{_number_text(low)}–{_number_text(high)}" + (" (bounds excluded where marked)" if strict else "")]
    if low is not None:
        return [f"{'above' if 'exclusiveMinimum' in field else 'at least'} {_number_text(low)}"]
    if high is not None:
        return [f"{'below' if 'exclusiveMaximum' in field else 'at most'} {_number_text(high)}"]
    return []


def _allowed(field: Mapping[str, Any], definitions: Mapping[str, Any]) -> tuple[str, ...]:
    if "const" in field:
        return (str(field["const"]),)
    if "enum" in field:
        return tuple(str(value) for value in field["enum"])
    for key in ("items", "propertyNames"):
        inner = field.get(key)
        if isinstance(inner, dict):
            inner = _without_null(inner, definitions)
            if "enum" in inner or "const" in inner:
                return _allowed(inner, definitions)
    return ()


def _entry(path: str, field: Mapping[str, Any], required: bool, definitions: Mapping[str, Any]) -> FieldEntry:
    default = field.get("default")
    shown_default = None if default in (None, [], {}, "") else _example_text(default)
    return FieldEntry(path=path, type=_type_name(field, definitions), required=required,
                      limits=_limits(field, definitions), allowed=_allowed(field, definitions),
                      default=shown_default, description=" ".join(str(field.get("description", "")).split()))


# --- examples from real bundles -------------------------------------------------------------------

def first_example(path: str, documents: Sequence[Mapping[str, Any]]) -> Any:
    """The first value at ``path`` in ``documents`` (``[]`` takes a list's first item,
    ``{}`` a map's first value), or None when no document holds one."""
    parts = [part for part in re.split(r"\.|(?=\[\])|(?<=\[\])", path) if part]
    for document in documents:
        value: Any = document
        for part in parts:
            if part == ITEM:
                value = value[0] if isinstance(value, list) and value else None
            elif part == "{}":
                value = next(iter(value.values()), None) if isinstance(value, dict) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
            if value is None:
                break
        if value is not None:
            return value
    return None


def _example_text(value: Any) -> str:
    if isinstance(value, datetime.date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, list):
        text = "[" + ", ".join(_example_text(item) for item in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{key}: {_example_text(item)}" for key, item in value.items()) + "}"
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS - 1].rstrip() + "…"


# --- Markdown ---------------------------------------------------------------------------------------

_COLUMNS = ("Field", "Type", "Required", "Limits and allowed values", "Meaning", "Example")


def field_reference_section(model: type[BaseModel], documents: Iterable[Mapping[str, Any]] = ()) -> str:
    """A Markdown table of every field of ``model``; examples from ``documents`` (parsed bundle files)."""
    examples = list(documents)
    rows = []
    for entry in field_entries(model):
        rules = [*entry.limits]
        if entry.allowed:
            rules.append("one of " + ", ".join(f"``{value}``" for value in entry.allowed))
        if entry.default is not None:
            rules.append(f"default ``{entry.default}``")
        example = first_example(entry.path, examples)
        shown = "" if example is None or isinstance(example, dict) else _example_text(example)
        rows.append((
            inline_text(entry.path, code=True), inline_text(entry.type), "yes" if entry.required else "no",
            "; ".join(inline_text(rule, docstring=True) for rule in rules),
            inline_text(entry.description, docstring=True),
            inline_text(shown, code=True) if shown else "",
        ))
    return table(_COLUMNS, rows)
