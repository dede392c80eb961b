"""The post-build steps, in the order they run: the one place that lists them."""

from __future__ import annotations

from patternbook.postbuild.agent_files import write_agent_files
from patternbook.postbuild.context import PostBuildContext, PostBuildStep
from patternbook.postbuild.csp import content_security_policy
from patternbook.postbuild.diagram_files import write_pending_diagram_files
from patternbook.postbuild.feed import write_feed
from patternbook.postbuild.page_head import annotate_pages
from patternbook.postbuild.search import search_index_step
from patternbook.postbuild.tech_radar import write_tech_radar

__all__ = ["POST_BUILD_STEPS", "run_post_build"]

POST_BUILD_STEPS: tuple[PostBuildStep, ...] = (
    write_feed,
    write_tech_radar,
    write_agent_files,
    annotate_pages,
    search_index_step,
    # The diagrams come late: a render left running in the background gets the most time to finish.
    write_pending_diagram_files,
    # The Content-Security-Policy hashes the inline scripts of the finished HTML: after every
    # step that writes HTML, so always last.
    content_security_policy,
)


def run_post_build(context: PostBuildContext) -> None:
    """Run every post-build step on ``context.site_dir`` in order."""
    for step in POST_BUILD_STEPS:
        step(context)
