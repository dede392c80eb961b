"""``tech-radar.json``: the adoption radar in the shape Backstage's tech-radar plugin loads.

A platform team points the plugin's loader at this file (``TechRadarLoaderResponse``:
quadrants, rings with colours, entries with a timeline of ring moves read from git
and a link to each bundle's page), so the developer portal shows the same stances
as the catalogue. Written only when at least one bundle has a ring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from patternbook.escaping import strict_json
from patternbook.pages.radar import tech_radar_document
from patternbook.pipeline.build import build_date

if TYPE_CHECKING:
    from patternbook.postbuild.context import PostBuildContext

__all__ = ["TECH_RADAR_PATH", "write_tech_radar"]

TECH_RADAR_PATH = "tech-radar.json"


def write_tech_radar(context: PostBuildContext) -> None:
    catalogue = context.build.catalogue
    if catalogue is None or not any(bundle.adoption for bundle in catalogue.entries.values()):
        return
    document = tech_radar_document(catalogue, context.build.history, build_date(),
                                   lambda slug: context.address(context.page_path(slug)))
    # Read by Backstage, not people: compact, like catalogue.json.
    (context.site_dir / TECH_RADAR_PATH).write_text(strict_json(document, compact=True), encoding="utf-8")
