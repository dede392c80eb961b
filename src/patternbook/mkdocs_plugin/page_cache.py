"""A cache of rendered generated pages, so an unchanged page skips Python-Markdown.

MkDocs converts every page on every build. Patternbook's generated pages are
large blocks of HTML, which Python-Markdown parses slowly, so converting them
is most of a warm rebuild. This cache keeps, per generated page, what
``Page.render`` produces (content, table of contents, title, anchor ids) under
a key hashing the page's Markdown, its location, the Markdown configuration,
the list of files (links resolve against it) and the MkDocs and Python-Markdown versions. On a hit
the plugin hands MkDocs an empty document to convert and restores the result
afterwards; the output is byte-identical, which the determinism test checks
by building twice over one cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

__all__ = ["PageCache"]

PAGE_CACHE_VERSION = "1"


def _tokens(links: list[AnchorLink]) -> list[dict[str, Any]]:
    return [{"name": a.title, "id": a.id, "level": a.level, "children": _tokens(a.children)} for a in links]


class PageCache:
    def __init__(self, folder: Path, config: MkDocsConfig, files: Files) -> None:
        self.folder = folder
        setting = json.dumps([
            PAGE_CACHE_VERSION, metadata.version("mkdocs"), metadata.version("markdown"),
            metadata.version("patternbook"),
            config.use_directory_urls, [str(e) for e in config.markdown_extensions],
            json.dumps(config.mdx_configs, sort_keys=True, default=str),
            sorted(f.src_uri for f in files),
        ])
        self.setting = hashlib.sha256(setting.encode("utf-8")).hexdigest()
        self.hits: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def lookup(self, page: Page, markdown: str) -> bool:
        """Remember the page's key; on a hit, keep the stored result for :meth:`finish`."""
        key = hashlib.sha256(f"{self.setting}\0{page.file.src_uri}\0{markdown}".encode()).hexdigest()
        self.keys[page.file.src_uri] = key
        try:
            stored = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        content = stored.get("content", "")
        if hashlib.sha256(content.encode("utf-8")).hexdigest() != stored.get("digest"):
            return False  # damaged: render afresh
        self.hits[page.file.src_uri] = stored
        return True

    def finish(self, page: Page, content: str) -> str:
        """After MkDocs rendered the page: restore a hit, or store a miss."""
        stored = self.hits.pop(page.file.src_uri, None)
        if stored is not None:
            page.toc = get_toc(stored["toc"])
            page._title_from_render = stored["title"]
            page.present_anchor_ids = set(stored["anchors"])
            return stored["content"]
        key = self.keys.get(page.file.src_uri)
        if key is not None:
            record = {
                "content": content, "digest": hashlib.sha256(content.encode("utf-8")).hexdigest(),
                "toc": _tokens(list(page.toc)), "title": page._title_from_render,
                "anchors": sorted(page.present_anchor_ids or ()),
            }
            path = self._path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(record), encoding="utf-8")
            os.replace(temporary, path)
        return content
