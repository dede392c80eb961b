"""What every post-build step receives: the finished site and the build that made it.

Its own module, so that steps import it without importing the list of steps
(:mod:`patternbook.postbuild.steps`), which imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patternbook.pipeline.build import LibraryBuild

__all__ = ["PostBuildContext", "PostBuildStep"]


@dataclass(frozen=True)
class PostBuildContext:
    site_dir: Path
    """The built site (for the MkDocs plugin: the staging folder, before it is swapped into place)."""
    build: LibraryBuild
    """The validated catalogue and the pages planned from it."""
    site_url: str | None = None
    """The site's public address from ``site_url``, when configured."""
    serving: bool = False
    """Built for ``mkdocs serve``, which injects its own inline script into every page it serves."""
    site_name: str = "Patternbook"
    """The site's name (``site_name``), for the feed and ``llms.txt``."""
    site_description: str | None = None
    """The site's one-line description (``site_description``), for ``llms.txt``."""

    def address(self, path: str) -> str:
        """A site path as readers outside the site reach it: absolute under ``site_url``
        when configured, else relative to the site root."""
        return (self.site_url.rstrip("/") + "/" + path) if self.site_url else path

    def page_path(self, slug: str) -> str:
        """The site path of a pattern's page, whichever URL style the engine used."""
        return f"patterns/{slug}/" if (self.site_dir / "patterns" / slug / "index.html").is_file() \
            else f"patterns/{slug}.html"


PostBuildStep = Callable[[PostBuildContext], None]
