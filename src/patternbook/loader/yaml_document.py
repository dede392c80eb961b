"""Safe YAML with a position for every value.

The document is built from libyaml's *events* rather than with a constructor,
which makes the safety rules structural: there is no code path that could
instantiate a tagged object, follow an alias or let a duplicate key overwrite
another. Every value's start is recorded by its path (``("failure_edges", 0,
"detection")``) so that a pydantic error location maps back to ``line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from patternbook.errors import Diagnostic, field_path
from patternbook.loader.source import SourceText

__all__ = ["MAX_DEPTH", "Position", "YamlDocument", "parse_yaml"]

#: Hand-written bundles nest five or six levels; deeper is abuse.
MAX_DEPTH = 24

Position = tuple[int, int]
PathKey = tuple[Any, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_CONSTRUCTORS = {
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _constructor.construct_yaml_timestamp,
}


@dataclass
class YamlDocument:
    """A parsed YAML file: plain Python data plus where each value came from."""

    source: SourceText
    data: Any = None
    values: dict[PathKey, Position] = field(default_factory=dict)
    """Where each value starts."""
    keys: dict[PathKey, Position] = field(default_factory=dict)
    """Where the key that holds each mapping value starts."""
    implicit: dict[PathKey, str] = field(default_factory=dict)
    """Unquoted scalars that YAML 1.1 turned into something other than text, by
    their source spelling: the material for a "quote it" hint."""

    @property
    def shown_as(self) -> str:
        return self.source.shown_as

    def position_of(self, path: PathKey, *, key: bool = False) -> Position:
        """The closest recorded position for ``path``: the value itself, else its key,
        else the nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if key and probe in self.keys:
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


@dataclass(frozen=True)
class _Discarded:
    """Stands in for the key of a duplicate entry."""

    position: Position


class _Frame:
    __slots__ = ("container", "first_seen", "path", "pending_key", "pending_key_position")

    def __init__(self, container: dict | list, path: PathKey) -> None:
        self.container = container
        self.path = path
        self.pending_key: str | _Discarded | None = None
        self.pending_key_position: Position = (1, 1)
        self.first_seen: dict[str, int] = {}


def _mark(event: yaml.Event) -> Position:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _scalar_value(event: yaml.ScalarEvent) -> tuple[Any, bool]:
    """Resolve a scalar as YAML 1.1 would; report whether it stopped being text."""
    if not event.implicit[0]:  # quoted or block scalar: always text
        return event.value, False
    tag = _resolver.resolve(yaml.ScalarNode, event.value, (True, False))
    if tag == _STR:
        return event.value, False
    node = yaml.ScalarNode(tag, event.value)
    try:
        return _CONSTRUCTORS[tag](node), True
    except (KeyError, ValueError, TypeError):  # e.g. 2026-13-45 looks like a date but is not
        return event.value, False


def parse_yaml(source: SourceText, diagnostics: list[Diagnostic]) -> YamlDocument | None:
    """Parse one YAML document; record problems in ``diagnostics``.

    Returns ``None`` only when the text is not YAML at all; structural problems
    (tags, aliases, duplicate keys) are recorded and parsing goes on, so a
    contributor sees them all at once.
    """
    document = YamlDocument(source)
    shown = source.shown_as
    problems_before = len(diagnostics)

    def problem(position: Position, code: str, message: str, hint: str = "") -> None:
        diagnostics.append(Diagnostic(shown, position[0], position[1], code, message, hint=hint))

    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    aliases_reported: set[str] = set()
    loader = _Loader(source.text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problem(_mark(event), "PB101", "a bundle file holds exactly one YAML document")
                    break
                continue
            if not isinstance(event, yaml.NodeEvent):
                if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    finished = stack.pop()
                    if stack:
                        _attach(stack[-1], finished.container)
                    else:
                        root = finished.container
                continue

            position = _mark(event)
            if event.anchor is not None and not isinstance(event, yaml.AliasEvent):
                problem(position, "PB103", f"anchor '&{event.anchor}' is not allowed; write the value out")
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in aliases_reported:  # an alias bomb repeats one name thousands of times
                    aliases_reported.add(event.anchor)
                    problem(position, "PB103", f"alias '*{event.anchor}' is not allowed; write the value out")
                value: Any = None
            else:
                tag = event.tag
                if tag is not None:
                    problem(position, "PB102", f"YAML tag '{tag}' is not allowed; remove it")
                value = None

            parent = stack[-1] if stack else None
            expecting_key = parent is not None and isinstance(parent.container, dict) and parent.pending_key is None
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if expecting_key:
                    problem(position, "PB107", "mapping keys must be plain text")
                    parent.pending_key = f"<complex key at line {position[0]}>"
                    parent.pending_key_position = position
                if len(stack) >= MAX_DEPTH:
                    problem(position, "PB101", f"nested more than {MAX_DEPTH} levels deep")
                    break
                path = _child_path(parent) if parent else ()
                document.values[path] = position
                container: dict | list = {} if isinstance(event, yaml.MappingStartEvent) else []
                stack.append(_Frame(container, path))
                continue

            if isinstance(event, yaml.ScalarEvent):
                if expecting_key:
                    _take_key(parent, event.value, position, document, diagnostics, shown)
                    continue
                value, changed = _scalar_value(event)
                path = _child_path(parent) if parent else ()
                if changed:
                    document.implicit[path] = event.value
            else:  # alias
                if expecting_key:
                    parent.pending_key = f"<alias at line {position[0]}>"
                    parent.pending_key_position = position
                    continue
                path = _child_path(parent) if parent else ()
            document.values[path] = position
            if parent is None:
                root = value
            else:
                _attach(parent, value)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or error.context or "invalid YAML"
        diagnostics.append(Diagnostic(shown, line, column, "PB101", reason))
        return None
    except yaml.YAMLError as error:  # reader errors carry no mark in the C parser
        diagnostics.append(Diagnostic(shown, 1, 1, "PB101", str(error).splitlines()[0]))
        return None
    finally:
        loader.dispose()

    if len(diagnostics) > problems_before and root is None:
        return None
    document.data = root
    return document


def _child_path(frame: _Frame) -> PathKey:
    if isinstance(frame.container, dict):
        return (*frame.path, frame.pending_key)
    return (*frame.path, len(frame.container))


def _take_key(frame: _Frame, key: str, position: Position, document: YamlDocument,
              diagnostics: list[Diagnostic], shown: str) -> None:
    if key in frame.first_seen:
        diagnostics.append(Diagnostic(
            shown, position[0], position[1], "PB104",
            f"key '{key}' appears twice; the first is on line {frame.first_seen[key]}",
            field=field_path((*frame.path, key))))
        # The repeat is parsed (so problems inside it are still reported) but
        # kept under a key no model knows, so it cannot shadow the first value.
        frame.pending_key = _Discarded(position)
        return
    frame.first_seen[key] = position[0]
    frame.pending_key = key
    frame.pending_key_position = position
    document.keys[(*frame.path, key)] = position


def _attach(frame: _Frame, value: Any) -> None:
    if isinstance(frame.container, dict):
        key = frame.pending_key
        if not isinstance(key, _Discarded):
            frame.container[key] = value
        frame.pending_key = None
    else:
        frame.container.append(value)

