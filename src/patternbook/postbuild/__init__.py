"""Steps that run on a finished site, the same for every engine.

An engine (the MkDocs plugin, or MkDocs / ProperDocs / Zensical building what
``patternbook export`` wrote) turns pages into HTML; everything that must look
at that HTML afterwards (search index, feeds, ``llms.txt``, Content-Security-Policy
hashes) belongs to Patternbook and runs here, so no engine-specific hook is needed.

Each step is a function ``step(context: PostBuildContext) -> None`` in a module of
this package, listed in :data:`POST_BUILD_STEPS` in the order they run. A step that
rewrites HTML (the CSP) must come after every step that adds HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patternbook.library import LibraryBuild
from patternbook.postbuild.agents import write_agent_files
from patternbook.postbuild.diagram_files import write_pending_diagram_files
from patternbook.postbuild.feed import write_feed
from patternbook.postbuild.page_head import annotate_pages

__all__ = ["POST_BUILD_STEPS", "PostBuildContext", "run_post_build"]


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

from patternbook.postbuild.search import search_index_step  # noqa: E402  (the steps need the context above)

# The diagrams come late: a render left running in the background gets the most time to finish.
POST_BUILD_STEPS: list[PostBuildStep] = [write_feed, write_agent_files, annotate_pages, search_index_step,
                                         write_pending_diagram_files]


def run_post_build(context: PostBuildContext) -> None:
    """Run every post-build step on ``context.site_dir`` in order."""
    for step in POST_BUILD_STEPS:
        step(context)


# The Content-Security-Policy hashes the inline scripts of the finished HTML, so it
# must run after every step that writes HTML: keep it the last step appended.
from patternbook.postbuild.csp import content_security_policy  # noqa: E402

POST_BUILD_STEPS.append(content_security_policy)
