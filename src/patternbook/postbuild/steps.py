"""The post-build steps, in the order they run: the one place that lists them."""

from __future__ import annotations

from pathlib import Path

from patternbook.postbuild.agent_files import write_agent_files
from patternbook.postbuild.context import PostBuildContext, PostBuildStep
from patternbook.postbuild.csp import content_security_policy, write_content_security_policy
from patternbook.postbuild.diagram_files import write_pending_diagram_files
from patternbook.postbuild.feed import write_feed
from patternbook.postbuild.page_head import annotate_pages
from patternbook.postbuild.page_search import index_site_pages
from patternbook.postbuild.search import search_index_step
from patternbook.postbuild.tech_radar import write_tech_radar
from patternbook.postbuild.unused_theme_files import remove_unused_theme_files

__all__ = ["POST_BUILD_STEPS", "run_post_build", "run_site_post_build"]

POST_BUILD_STEPS: tuple[PostBuildStep, ...] = (
    write_feed,
    write_tech_radar,
    write_agent_files,
    annotate_pages,
    search_index_step,
    # The diagrams come late: a render left running in the background gets the most time to finish.
    write_pending_diagram_files,
    # Material's lunr search, its worker and source maps: no page loads them (Pagefind searches).
    remove_unused_theme_files,
    # The Content-Security-Policy hashes the inline scripts of the finished HTML: after every
    # step that writes HTML, so always last.
    content_security_policy,
)


def run_post_build(context: PostBuildContext) -> None:
    """Run every post-build step on ``context.site_dir`` in order."""
    for step in POST_BUILD_STEPS:
        step(context)


def run_site_post_build(site_dir: Path, *, serving: bool = False) -> None:
    """The post-build stage of a site without a catalogue (Patternbook's handbook): no feed, agent
    files or diagrams to add, but the same search, read from the built pages, and the same
    Content-Security-Policy, last (``mkdocs serve`` injects a script of its own, so not while serving)."""
    index_site_pages(site_dir)
    if not serving:
        write_content_security_policy(site_dir)
