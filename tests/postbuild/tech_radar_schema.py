"""A JSON Schema of what Backstage's tech-radar plugin loads (``TechRadarLoaderResponse``).

Written from the plugin's own zod parsers, ``TechRadarLoaderResponseParser`` and the ring,
quadrant, entry, snapshot and link parsers it is built from, in
backstage/community-plugins, workspaces/tech-radar/plugins/tech-radar-common/src/schema.ts at
commit 29476dc9e9052e544d9c79b8c1829ecb7b0e51b2 (the interfaces in ``model.ts`` at
dd410ad0dc9d148dabf12c8d421a6a955d48c2e9 agree): ``key``, ``id``, ``quadrant``, ``title`` and
``timeline`` required on an entry; ``date`` coerced to a date (an ISO date here); ``moved`` one of
``MovedState`` (-1, 0, 1). Stricter than zod in one way: keys the plugin does not read are refused,
so a typo in our output fails here instead of being dropped silently by the plugin.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TECH_RADAR_SCHEMA"]

_TEXT: dict[str, Any] = {"type": "string"}

TECH_RADAR_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "TechRadarLoaderResponse",
    "type": "object",
    "required": ["quadrants", "rings", "entries"],
    "additionalProperties": False,
    "properties": {
        "quadrants": {"type": "array", "items": {
            "type": "object", "required": ["id", "name"], "additionalProperties": False,
            "properties": {"id": _TEXT, "name": _TEXT}}},
        "rings": {"type": "array", "items": {
            "type": "object", "required": ["id", "name", "color"], "additionalProperties": False,
            "properties": {"id": _TEXT, "name": _TEXT, "color": _TEXT, "description": _TEXT}}},
        "entries": {"type": "array", "items": {
            "type": "object", "required": ["key", "id", "quadrant", "title", "timeline"], "additionalProperties": False,
            "properties": {
                "key": _TEXT, "id": _TEXT, "quadrant": _TEXT, "title": _TEXT, "url": _TEXT, "description": _TEXT,
                "timeline": {"type": "array", "items": {
                    "type": "object", "required": ["date", "ringId"], "additionalProperties": False,
                    "properties": {"date": {"type": "string", "format": "date"}, "ringId": _TEXT,
                                   "description": _TEXT, "moved": {"enum": [-1, 0, 1]}}}},
                "links": {"type": "array", "items": {
                    "type": "object", "required": ["url", "title"], "additionalProperties": False,
                    "properties": {"url": _TEXT, "title": _TEXT}}},
            }}},
    },
}
