"""Safe YAML with a position for every value.

The document is built from libyaml's *events* rather than with a constructor,
which makes the safety rules structural: there is no code path that could
instantiate a tagged object, follow an alias or let a duplicate key overwrite
another. Every value's start is recorded by its path (``("failure_edges", 0,
"detection")``) so that a pydantic error location maps back to ``line:col``
(for a document that reads cleanly, when first asked for: :class:`YamlDocument`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from patternbook.errors import Diagnostic, field_path
from patternbook.loader.source import SourceText

__all__ = ["MAX_DEPTH", "Position", "YamlDocument", "find_excess_nesting", "parse_yaml"]

#: Hand-written bundles nest five or six levels; deeper is abuse.
MAX_DEPTH = 24

Position = tuple[int, int]
PathKey = tuple[Any, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()
_CONSTRUCTORS = {
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _constructor.construct_yaml_timestamp,
}


class YamlDocument:
    """A parsed YAML file: plain Python data plus where each value came from.

    The positions of a document that read cleanly are found when first asked for
    (to report a problem), by parsing its text again: most bundles of a large
    catalogue have nothing to report, and recording a position for every value is
    half the cost of reading them (see :func:`parse_yaml`)."""

    __slots__ = ("_implicit", "_keys", "_values", "data", "source")

    def __init__(self, source: SourceText, data: Any = None, values: dict[PathKey, Position] | None = None,
                 keys: dict[PathKey, Position] | None = None, implicit: dict[PathKey, str] | None = None) -> None:
        self.source = source
        self.data = data
        self._values, self._keys, self._implicit = values, keys, implicit

    @property
    def values(self) -> dict[PathKey, Position]:
        """Where each value starts."""
        return self._located()[0]

    @property
    def keys(self) -> dict[PathKey, Position]:
        """Where the key that holds each mapping value starts."""
        return self._located()[1]

    @property
    def implicit(self) -> dict[PathKey, str]:
        """Unquoted scalars that YAML 1.1 turned into something other than text, by
        their source spelling: the material for a "quote it" hint."""
        return self._located()[2]

    @property
    def located(self) -> bool:
        """Whether the positions have been found (else the first question finds them)."""
        return self._values is not None

    def _located(self) -> tuple[dict[PathKey, Position], dict[PathKey, Position], dict[PathKey, str]]:
        if self._values is None or self._keys is None or self._implicit is None:
            found = _parse_with_positions(self.source, []) if self.source.text else None
            self._values, self._keys, self._implicit = (found._located() if found else ({}, {}, {}))
        return self._values, self._keys, self._implicit

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
    __slots__ = ("container", "first_seen", "is_mapping", "path", "pending_key")

    def __init__(self, container: dict | list, path: PathKey) -> None:
        self.container = container
        self.is_mapping = type(container) is dict
        self.path = path
        self.pending_key: str | _Discarded | None = None
        self.first_seen: dict[str, int] = {}


_IMPLICIT_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
#: First characters some implicit resolver (bool, int, float, null, timestamp…) claims.
_RESOLVER_FIRST_CHARACTERS = frozenset(first for first in _IMPLICIT_RESOLVERS if first)


def _scalar_value(text: str, plain: bool) -> tuple[Any, bool]:
    """Resolve a scalar as YAML 1.1 would; report whether it stopped being text."""
    if not plain:  # quoted or block scalar: always text
        return text, False
    # Most scalars are prose whose first character no implicit resolver claims.
    candidates = _IMPLICIT_RESOLVERS.get(text[:1] or None)
    if not candidates:
        return text, False
    tag = next((tag for tag, regexp in candidates if regexp.match(text)), None)
    if tag is None:
        return text, False
    try:
        return _CONSTRUCTORS[tag](yaml.ScalarNode(tag, text)), True
    except (KeyError, ValueError, TypeError):  # e.g. 2026-13-45 looks like a date but is not
        return text, False


def parse_yaml(source: SourceText, diagnostics: list[Diagnostic]) -> YamlDocument | None:
    """Parse one YAML document; record problems in ``diagnostics``.

    Returns ``None`` only when the text is not YAML at all; structural problems
    (tags, aliases, duplicate keys) are recorded and parsing goes on, so a
    contributor sees them all at once.

    A first pass reads the data alone and gives up at the first structural
    problem; only then (and when a later rule asks where a value is) does the
    full pass run, which records every position and every problem. The data is
    the same either way, and so is every diagnostic.
    """
    data = _read_clean(source.text)
    if data is not _IRREGULAR:
        return YamlDocument(source, data)
    return _parse_with_positions(source, diagnostics)


#: What :func:`_read_clean` returns for a document the full pass must read.
_IRREGULAR = object()


def _read_clean(text: str) -> Any:
    """The data of a document without tags, anchors, aliases, repeated or non-text keys,
    excess nesting or a second document; :data:`_IRREGULAR` for any other (and on a
    parse error). The validator's hot path: one pass per event of every bundle."""
    loader = _Loader(text)
    get_event = loader.get_event
    scalar_event, mapping_start, resolver_first = yaml.ScalarEvent, yaml.MappingStartEvent, _RESOLVER_FIRST_CHARACTERS
    collection_starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    collection_ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    containers: list[Any] = []
    pending: list[str | None] = []  # per open collection: the key waiting for its value (mappings)
    root: Any = None
    documents = 0
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    return _IRREGULAR
                value = event.value
                if event.implicit[0] and (not value or value[0] in resolver_first):
                    value = _scalar_value(value, True)[0]
                if not containers:
                    root = value
                    continue
                container = containers[-1]
                if type(container) is dict:
                    key = pending[-1]
                    if key is None:
                        if event.value in container:
                            return _IRREGULAR
                        pending[-1] = event.value
                        continue
                    container[key] = value
                    pending[-1] = None
                else:
                    container.append(value)
            elif kind in collection_starts:
                if event.anchor is not None or event.tag is not None or len(containers) >= MAX_DEPTH:
                    return _IRREGULAR
                if containers and type(containers[-1]) is dict and pending[-1] is None:
                    return _IRREGULAR  # a collection as a key
                containers.append({} if kind is mapping_start else [])
                pending.append(None)
            elif kind in collection_ends:
                finished = containers.pop()
                pending.pop()
                if not containers:
                    root = finished
                elif type(containers[-1]) is dict:
                    containers[-1][pending[-1]] = finished
                    pending[-1] = None
                else:
                    containers[-1].append(finished)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return _IRREGULAR
            elif kind is yaml.StreamEndEvent or event is None:
                return root
            elif kind is yaml.AliasEvent:
                return _IRREGULAR
    except yaml.YAMLError:
        return _IRREGULAR
    finally:
        loader.dispose()


def _parse_with_positions(source: SourceText, diagnostics: list[Diagnostic]) -> YamlDocument | None:
    """The full pass: the data, every value's and key's position, and every structural problem."""
    document = YamlDocument(source, None, {}, {}, {})
    shown = source.shown_as
    problems_before = len(diagnostics)
    values = document.values

    def problem(position: Position, code: str, message: str) -> None:
        diagnostics.append(Diagnostic(shown, position[0], position[1], code, message))

    keys = document.keys
    implicit = document.implicit
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    aliases_reported: set[str] = set()
    loader = _Loader(source.text)
    get_event = loader.get_event
    # Bound once: the loop runs for every event of every bundle.
    scalar_event, alias_event, resolver_first = yaml.ScalarEvent, yaml.AliasEvent, _RESOLVER_FIRST_CHARACTERS
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event or kind is alias_event:
                mark = event.start_mark
                position = (mark.line + 1, mark.column + 1)
                if kind is alias_event:
                    if event.anchor not in aliases_reported:  # a bomb repeats one name thousands of times
                        aliases_reported.add(event.anchor)
                        problem(position, "PB103", f"alias '*{event.anchor}' is not allowed; write the value out")
                    text, value, changed = f"<alias at line {position[0]}>", None, False
                else:
                    if event.anchor is not None:
                        problem(position, "PB103", f"anchor '&{event.anchor}' is not allowed; write the value out")
                    if event.tag is not None:
                        problem(position, "PB102", f"YAML tag '{event.tag}' is not allowed; remove it")
                    text = event.value
                    # Quoted and block scalars, and plain prose starting with a character no
                    # implicit resolver claims, are text: most scalars end here.
                    if event.implicit[0] and (not text or text[0] in resolver_first):
                        value, changed = _scalar_value(text, True)
                    else:
                        value, changed = text, False
                if not stack:
                    root = value
                    values[()] = position
                    continue
                frame = stack[-1]
                if frame.is_mapping:
                    key = frame.pending_key
                    if key is None:  # this scalar is a key
                        if text in frame.first_seen:
                            _repeated_key(frame, text, position, diagnostics, shown)
                        else:
                            frame.first_seen[text] = position[0]
                            frame.pending_key = text
                            keys[(*frame.path, text)] = position
                        continue
                    path = (*frame.path, key)
                    frame.pending_key = None
                    if type(key) is str:
                        frame.container[key] = value
                else:
                    container = frame.container
                    path = (*frame.path, len(container))
                    container.append(value)
                values[path] = position
                if changed:
                    implicit[path] = text
            elif kind is yaml.StreamEndEvent or event is None:
                break
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mark = event.start_mark
                position = (mark.line + 1, mark.column + 1)
                if event.anchor is not None:
                    problem(position, "PB103", f"anchor '&{event.anchor}' is not allowed; write the value out")
                if event.tag is not None:
                    problem(position, "PB102", f"YAML tag '{event.tag}' is not allowed; remove it")
                if len(stack) >= MAX_DEPTH:
                    problem(position, "PB101", f"nested more than {MAX_DEPTH} levels deep")
                    break
                if stack:
                    parent = stack[-1]
                    if parent.is_mapping and parent.pending_key is None:
                        problem(position, "PB107", "mapping keys must be plain text")
                        parent.pending_key = _Discarded(position)
                    path = _child_path(parent)
                else:
                    path = ()
                values[path] = position
                stack.append(_Frame({} if kind is yaml.MappingStartEvent else [], path))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                finished = stack.pop()
                if stack:
                    _attach(stack[-1], finished.container)
                else:
                    root = finished.container
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    problem((mark.line + 1, mark.column + 1), "PB101",
                            "a bundle file holds exactly one YAML document")
                    break
    except yaml.YAMLError as error:
        # libyaml has nesting limits of its own whose wording and depth change between releases;
        # a document nested beyond ours is reported by our rule, whatever libyaml said.
        too_deep = find_excess_nesting(source.text)
        if too_deep is not None:
            problem(too_deep, "PB101", f"nested more than {MAX_DEPTH} levels deep")
            return None
        if not isinstance(error, yaml.MarkedYAMLError):  # reader errors carry no mark in the C parser
            diagnostics.append(Diagnostic(shown, 1, 1, "PB101", str(error).splitlines()[0]))
            return None
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or error.context or "invalid YAML"
        diagnostics.append(Diagnostic(shown, line, column, "PB101", reason))
        return None
    finally:
        loader.dispose()

    if len(diagnostics) > problems_before and root is None:
        return None
    document.data = root
    return document


_BLOCK_SCALAR_HEADER = re.compile(r"(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$")


def find_excess_nesting(text: str, limit: int = MAX_DEPTH) -> Position | None:
    """Where a collection opens deeper than ``limit`` levels, judged from the text alone.

    The event loop above enforces the same limit on documents libyaml can parse; this scan
    serves documents libyaml gives up on, so the rule and its position never depend on the
    parser's own limits. It follows block indentation (compact ``- - x`` sequences included),
    flow brackets outside quotes and comments, and skips block scalars. It is an
    approximation of YAML's grammar that only runs on text libyaml already rejected.
    """
    block: list[int] = []  # columns of the open block collections
    flow = 0
    scalar_indent: int | None = None  # inside a block scalar: its parent's column
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.lstrip(" ")
        column = len(line) - len(stripped)
        if scalar_indent is not None:
            if not stripped or column > scalar_indent:
                continue
            scalar_indent = None
        index = column
        if flow == 0:
            if not stripped or stripped.startswith("#"):
                continue
            while block and block[-1] > column:
                block.pop()
            if not block or block[-1] < column:
                block.append(column)
                if len(block) > limit:
                    return number, column + 1
            while line.startswith("- ", index) and line[index + 2:index + 3] not in ("", " ", "#"):
                index += 2
                block.append(index)
                if len(block) > limit:
                    return number, index + 1
        quote = ""
        while index < len(line):
            char = line[index]
            if quote:
                if char == "\\" and quote == '"':
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"" and (index == 0 or line[index - 1] in " [{,:"):
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] in " \t"):
                break
            elif char in "[{":
                flow += 1
                if len(block) + flow > limit:
                    return number, index + 1
            elif char in "]}":
                flow = max(flow - 1, 0)
            index += 1
        if flow == 0 and _BLOCK_SCALAR_HEADER.search(line):
            scalar_indent = column
    return None


def _child_path(frame: _Frame) -> PathKey:
    if frame.is_mapping:
        return (*frame.path, frame.pending_key)
    return (*frame.path, len(frame.container))


def _repeated_key(frame: _Frame, key: str, position: Position, diagnostics: list[Diagnostic], shown: str) -> None:
    diagnostics.append(Diagnostic(
        shown, position[0], position[1], "PB104",
        f"key '{key}' appears twice; the first is on line {frame.first_seen[key]}",
        field=field_path((*frame.path, key))))
    # The repeat is parsed (so problems inside it are still reported) but
    # kept under a key no model knows, so it cannot shadow the first value.
    frame.pending_key = _Discarded(position)


def _attach(frame: _Frame, value: Any) -> None:
    if frame.is_mapping:
        key = frame.pending_key
        if type(key) is str:
            frame.container[key] = value
        frame.pending_key = None
    else:
        frame.container.append(value)

