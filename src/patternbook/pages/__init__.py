"""Validated patterns → page Markdown. Contributor text is always data here:
it is escaped into our templates, never evaluated as one."""

from patternbook.pages.discovery import (
    FACET_TITLES,
    RelationGraphs,
    catalogue_document,
    catalogue_document_schema,
    facet_vocabulary,
    pattern_facets,
)
from patternbook.pages.prose import render_prose
from patternbook.pages.site import (
    DIAGRAM_DOWNLOADS,
    DiagramDownload,
    DownloadTexts,
    GeneratedPage,
    PageRenderer,
    SiteOptions,
    SitePlan,
    diagram_asset_path,
    pattern_page_path,
    plan_bundle_page,
    plan_site,
    reading_minutes,
    template_search_path,
)

__all__ = [
    "DIAGRAM_DOWNLOADS",
    "FACET_TITLES",
    "DiagramDownload",
    "DownloadTexts",
    "GeneratedPage",
    "PageRenderer",
    "RelationGraphs",
    "SiteOptions",
    "SitePlan",
    "catalogue_document",
    "catalogue_document_schema",
    "diagram_asset_path",
    "facet_vocabulary",
    "pattern_facets",
    "pattern_page_path",
    "plan_bundle_page",
    "plan_site",
    "reading_minutes",
    "render_prose",
    "template_search_path",
]
