"""Zensical's own configuration, ``zensical.toml``, written beside an exported ``mkdocs.yml``.

Zensical reads ``mkdocs.yml`` only as a transition mechanism; its own format is a
``zensical.toml`` whose ``[project]`` table holds the same settings (``site_name``,
``site_url``, ``repo_url``, ``nav``, ``extra_css``, ``extra_javascript``, the
``[project.theme]`` table with ``features`` and ``custom_dir``, and one
``[project.markdown_extensions.NAME]`` table per extension), as Zensical's
configuration reference documents: https://zensical.org/docs/setup/basics/ and
https://zensical.org/docs/setup/extensions/ . Zensical 0.0.73 (the release tested
here) reads the file already (``zensical.config.parse_zensical_config``); adopters
on Zensical 0.1.x, where ``mkdocs.yml`` support is to leave the core, need nothing else.

TOML has no null, so a ``None`` setting is left out. Every string, contributor and
site text included, is written by :func:`patternbook.escaping.toml_string`; keys
that are not bare TOML keys (navigation titles, ``pymdownx.*`` names) go through it too.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from patternbook.escaping import toml_string
from patternbook.themes import is_material_theme

__all__ = ["ZENSICAL_FILE", "zensical_project", "zensical_toml"]

ZENSICAL_FILE = "zensical.toml"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
#: Lists of ``name`` or ``{name: options}`` in mkdocs.yml that Zensical documents as tables by name.
_NAMED_TABLES = ("markdown_extensions", "plugins")
#: MkDocs' own settings Zensical has no use for.
_MKDOCS_ONLY = frozenset({"validation", "hooks", "INHERIT"})


def zensical_project(config: Mapping[str, Any]) -> dict[str, Any]:
    """The ``[project]`` table for an exported site whose ``mkdocs.yml`` settings are ``config``.

    Extension and plugin lists become tables by name. Zensical renders Material
    sites with its own copy of Material's templates: a Material theme (MaterialX
    included, whose templates Zensical does not render) is named ``material``.
    """
    project = {key: value for key, value in config.items() if key not in _MKDOCS_ONLY}
    for key in _NAMED_TABLES:
        if isinstance(project.get(key), list):
            project[key] = _by_name(project[key])
    theme = project.get("theme")
    if isinstance(theme, dict) and is_material_theme(theme.get("name")):
        project["theme"] = {**theme, "name": "material"}
    return project


def _by_name(entries: list) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for entry in entries:
        if isinstance(entry, str):
            tables[entry] = {}
        elif isinstance(entry, dict):
            for name, options in entry.items():
                tables[str(name)] = options if isinstance(options, dict) else {}
    return tables


def zensical_toml(config: Mapping[str, Any], header: str = "") -> str:
    """``zensical.toml`` for the ``mkdocs.yml`` settings ``config``; ``header`` becomes comment lines."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    _table(lines, ("project",), zensical_project(config))
    return "\n".join(lines) + "\n"


def _key(name: object) -> str:
    text = str(name)
    return text if _BARE_KEY.fullmatch(text) else toml_string(text)


def _table(lines: list[str], path: tuple[str, ...], table: Mapping[str, Any]) -> None:
    """One ``[path]`` table: its plain keys first (TOML puts every key after a table header
    into that table), then each sub-table."""
    present = {name: value for name, value in table.items() if value is not None}
    tables = [(name, value) for name, value in present.items() if isinstance(value, Mapping)]
    if len(tables) < len(present) or not tables:  # a table of tables only needs no header of its own
        lines.append(("\n" if lines else "") + "[" + ".".join(_key(part) for part in path) + "]")
    for name, value in present.items():
        if not isinstance(value, Mapping):
            lines.append(f"{_key(name)} = {_value(value, 0)}")
    for name, value in tables:
        _table(lines, (*path, str(name)), value)


def _value(value: Any, depth: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v, depth + 1)}" for k, v in value.items() if v is not None)
        return "{" + inner + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        indent = "  " * (depth + 1)
        items = "".join(f"\n{indent}{_value(item, depth + 1)}," for item in value if item is not None)
        return "[" + items + "\n" + "  " * depth + "]"
    raise TypeError(f"no TOML form for {type(value).__name__} in the site configuration")
