"""pydantic's errors, turned into diagnostics a contributor can act on.

pydantic reports a location as a tuple of keys and indices, interleaved with
internal names of validator steps (``function-after[...]``, ``str``). Walking
that tuple along the actual data keeps only the real parts, which are exactly
the keys of :attr:`YamlDocument.values` — so each error lands on the line and
column of the offending value.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from patternbook.errors import Diagnostic, field_path
from patternbook.loader import YamlDocument
from patternbook.schema import SCAFFOLD_MARKER, did_you_mean

__all__ = ["diagnostics_from_validation_error"]

_TYPE_NAMES = {
    bool: "true/false", int: "a number", float: "a number", str: "text",
    list: "a list", dict: "a mapping", type(None): "nothing",
}

_CUSTOM_CODES = {
    "placeholder": "PB205",
    "not_substantive": "PB204",
    "vocabulary": "PB206",
    "url": "PB209",
    "invisible_characters": "PB211",
    "too_short": "PB208",
    "ring": "PB701",
}

_REF_HINT = ("pin the full 40-character commit SHA the description was checked at, "
             "as 'git rev-parse HEAD' prints it; a branch or tag moves")

#: Hints for a field that is missing, where the fix is not obvious from its name.
_MISSING_HINTS = {"ref": _REF_HINT}

_PATTERN_HINTS = {
    "slug": "use kebab-case: lowercase letters, digits and single hyphens",
    "pattern": "use the slug (folder name) of a pattern",
    "superseded_by": "use the slug (folder name) of a pattern",
    "id": "start with a lowercase letter; then lowercase letters, digits, '-' or '_' (at most 40)",
    "kind": "write provider.group.Class, for example aws.compute.Lambda",
    "currency": "use an ISO 4217 code such as USD or EUR",
    "ref": _REF_HINT,
    "path": "a relative folder inside the repository",
}


#: Parts of a pydantic location that name a validation step, not a key.
_STEP_PREFIXES = ("function-", "constrained-")
_STEP_NAMES = frozenset({"str", "int", "float", "bool", "date", "list", "dict", "nullable", "[key]"})


def _real_path(data: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Split ``loc`` into the part that exists in ``data`` and the remainder."""
    path: list[Any] = []
    current = data
    rest = list(loc)
    while rest:
        part = rest[0]
        in_mapping = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            current = current[part]
        elif isinstance(part, str) and (part.startswith(_STEP_PREFIXES) or part in _STEP_NAMES):
            rest.pop(0)
            continue
        else:
            break
        path.append(part)
        rest.pop(0)
    return tuple(path), tuple(rest)


def _model_at(model: type[BaseModel], path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class describing the mapping at ``path`` (for "did you mean")."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[X] / X | None / Annotated[X, ...] → X, for the first model found."""
    origin = typing.get_origin(annotation)
    if origin is None:
        return annotation
    for argument in typing.get_args(annotation):
        inner = _unwrap(argument)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def _field_names(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _expected_choices(ctx: dict[str, Any]) -> list[str]:
    return re.findall(r"'([^']*)'", str(ctx.get("expected", "")))


def diagnostics_from_validation_error(
    error: ValidationError,
    document: YamlDocument,
    model: type[BaseModel],
    *,
    elsewhere: dict[str, tuple[str, int, int]] | None = None,
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, positioned in ``document``.

    ``elsewhere`` maps top-level fields that do not come from the YAML file (the
    slug, the solution prose) to the file and position they do come from.
    """
    results: list[Diagnostic] = []
    shown = document.shown_as
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        kind = item["type"]
        path, rest = _real_path(document.data, loc)
        field = field_path(path)
        where_path, line, column = shown, *document.position_of(path, key=kind == "extra_forbidden")
        if elsewhere and loc and loc[0] in elsewhere:
            where_path, line, column = elsewhere[loc[0]]
            field = str(loc[0])
        code, message, hint = _describe(item, kind, path, rest, document, model)
        if kind == "missing" and rest:
            field = field_path((*path, rest[0]))
        results.append(Diagnostic(where_path, line, column, code, message, field=field, hint=hint))
    return results


def _scaffold_hint(value: str) -> str:
    return value.split(SCAFFOLD_MARKER, 1)[1].strip(" :").splitlines()[0] if value.strip() else ""


def _describe(item: dict[str, Any], kind: str, path: tuple[Any, ...], rest: tuple[Any, ...],
              document: YamlDocument, model: type[BaseModel]) -> tuple[str, str, str]:
    ctx = item.get("ctx") or {}
    value = item.get("input")
    if isinstance(value, str) and SCAFFOLD_MARKER in value:
        # An untouched scaffold value fails whatever the field's type; say so plainly.
        return "PB205", "still holds the scaffold placeholder; fill this in", _scaffold_hint(value)
    if kind == "missing":
        name = rest[0] if rest else (path[-1] if path else "")
        return "PB201", f"required field '{name}' is missing", _MISSING_HINTS.get(str(name), "")
    if kind == "extra_forbidden":
        parent = _model_at(model, path[:-1])
        hint = did_you_mean(str(path[-1]), _field_names(parent)) if parent else ""
        return "PB202", f"unknown field '{path[-1]}'", hint
    if kind == "literal_error":
        hint = did_you_mean(str(value), _expected_choices(ctx))
        return "PB206", f"'{value}' is not one of {ctx.get('expected')}", hint
    if kind in {"too_short", "too_long"} and ({"min_length", "max_length"} & ctx.keys()):
        # A list's length; a model's own "too_short" (name at least one ...) has no bound and says why itself.
        code = "PB503" if path and path[0] == "diagrams" and kind == "too_long" else "PB208"
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        word = "at least" if kind == "too_short" else "at most"
        count = ctx.get("actual_length", len(value) if hasattr(value, "__len__") else "?")
        return code, f"has {count} item(s); {word} {bound} required", ""
    if kind == "string_too_short":
        return "PB204", f"is too short ({len(str(value))} characters, at least {ctx.get('min_length')})", ""
    if kind == "string_too_long":
        return "PB210", f"is too long ({len(str(value))} characters, at most {ctx.get('max_length')})", ""
    if kind == "string_pattern_mismatch":
        last = next((p for p in reversed(path) if isinstance(p, str)), "")
        return "PB207", f"'{value}' is not valid here", _PATTERN_HINTS.get(last, f"must match {ctx.get('pattern')}")
    if kind in _CUSTOM_CODES:
        return _CUSTOM_CODES[kind], item["msg"], ""
    if kind.endswith("_type") or kind.endswith("_parsing") or kind in {"model_attributes_type", "dict_type"}:
        spelled = document.implicit.get(path)
        if spelled is not None and kind.startswith("string"):
            got = _TYPE_NAMES.get(type(value), type(value).__name__)
            if hasattr(value, "isoformat"):
                got = "a date"
            return ("PB105", f"YAML reads unquoted {spelled} as {got}, not text",
                    f'quote it: "{spelled}"')
        if spelled is not None and hasattr(value, "isoformat") and "date" not in kind:
            return "PB105", f"YAML reads unquoted {spelled} as a date", f'quote it: "{spelled}"'
        expected = item["msg"].removeprefix("Input should be ").removeprefix("Input should be a ")
        got = _TYPE_NAMES.get(type(value), type(value).__name__)
        return "PB203", f"expected {expected}, got {got}", ""
    return "PB207", item["msg"], ""
