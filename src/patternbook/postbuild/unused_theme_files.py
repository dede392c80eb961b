"""Theme files no page loads, removed from the site.

Material copies its whole ``assets/`` folder into every site: its lunr search
(``assets/javascripts/lunr/``, 34 files, 0.9 MB, with a 677 KB word splitter
for Thai), the search worker that runs it, and the source maps of its bundles
(1.3 MB). Patternbook's search is Pagefind, so with Material's search plugin off
no page loads the first two, and no reader's browser fetches a ``.map`` (only a
developer's tools do). They weighed 2.2 MB in 39 files in the shipped site:
about 30 KB and half a file per bundle, which a static host stores and counts.

Only what is dead is removed: lunr and the worker only when the site has no
lunr index (``search/search_index.json``, what Material's search plugin writes),
and a source map together with the ``sourceMappingURL`` comment that names it.
Material's page configuration (``__config``) still names the worker; its
bundle starts the worker only for a page with its search form, which these
pages do not have (a test loads pages in Chromium and checks nothing is missing).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patternbook.postbuild.context import PostBuildContext

__all__ = ["LUNR_INDEX", "remove_unused_theme_files"]

#: What Material's search plugin writes; while a site has it, lunr and its worker stay.
LUNR_INDEX = "search/search_index.json"
_LUNR_FILES = ("assets/javascripts/lunr",)
_WORKER_PATTERN = "assets/javascripts/workers/search.*.js*"
_MAPPED = ("*.js", "*.css")
#: ``//# sourceMappingURL=x.map`` (scripts) or ``/*# sourceMappingURL=x.map */`` (style sheets), on its own line.
_MAP_COMMENT = re.compile(r"\n?(?://|/\*)# sourceMappingURL=([^\s*]+\.map)(?:\s*\*/)?[ \t]*(?=\n|\Z)")


def remove_unused_theme_files(context: PostBuildContext) -> None:
    site = context.site_dir
    assets = site / "assets"
    if not assets.is_dir():
        return
    if not (site / LUNR_INDEX).is_file():
        for folder in _LUNR_FILES:
            shutil.rmtree(site / folder, ignore_errors=True)
        for worker in site.glob(_WORKER_PATTERN):
            worker.unlink()
    for pattern in _MAPPED:
        for script in assets.rglob(pattern):
            _drop_source_map(script)
    for orphan in assets.rglob("*.map"):
        orphan.unlink()
    for folder in sorted((p for p in assets.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()


def _drop_source_map(path: Path) -> None:
    """Remove the comment naming a source map from ``path`` (the map itself goes with the rest)."""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 512))
        if b"sourceMappingURL=" not in handle.read():
            return  # the comment sits at the very end; most files have none
    text = path.read_text(encoding="utf-8")
    stripped = _MAP_COMMENT.sub("", text)
    if stripped != text:
        # A new file in its place: the engine may have linked the old one from elsewhere.
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(stripped, encoding="utf-8")
        os.replace(temporary, path)
