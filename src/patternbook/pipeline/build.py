"""Building the library: validate → catalogue → diagrams → pages.

One pipeline for every adapter. The MkDocs plugin serves its pages and assets
from memory; ``patternbook export`` (:mod:`patternbook.pipeline.export`) writes
them to a folder any engine that reads ``mkdocs.yml`` can build.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from patternbook.catalogue import Catalogue
from patternbook.errors import Diagnostic, UsageError, ValidationFailed
from patternbook.history import CatalogueHistory, read_catalogue_history
from patternbook.pages import (
    DownloadTexts,
    GeneratedPage,
    PageRenderer,
    RelationGraphs,
    SiteOptions,
    SitePlan,
    diagram_asset_path,
    plan_bundle_page,
    plan_site,
)
from patternbook.validation import ValidationReport, validate_paths

if TYPE_CHECKING:
    from patternbook.diagrams import PendingRender

__all__ = ["PREVIEW_VARIABLE", "BundleUpdate", "LibraryBuild", "LibrarySettings", "build_date", "build_library",
           "preview_pull_request", "rebuild_bundle", "render_relation_graphs", "start_diagram_assets"]

#: Set to a pull request's number to build a preview of it: every page gets ``noindex``
#: and a visible banner (the plugin's ``preview_pull_request`` option does the same).
PREVIEW_VARIABLE = "PATTERNBOOK_PREVIEW_PR"


@dataclass(frozen=True)
class LibrarySettings:
    patterns_dir: Path
    templates_dir: Path | None
    """The catalogue's own templates, each replacing the packaged one of the same name; None: packaged only."""
    cache_dir: Path
    edit_url_template: str | None = None
    about_page: str | None = None
    """A hand-written page of the docs folder to list in the navigation."""
    tolerate_invalid: bool = False
    """While serving: a bundle that fails validation gets a page showing its
    diagnostics instead of stopping the build."""
    preview_pull_request: str | None = None
    """Build a preview of this pull request (see :data:`PREVIEW_VARIABLE`)."""


@dataclass
class LibraryBuild:
    report: ValidationReport
    plan: SitePlan
    assets: dict[str, Path] = field(default_factory=dict)
    """Generated files by site path (diagram SVGs in the cache), copied, never held in memory."""
    catalogue: Catalogue | None = None
    history: CatalogueHistory | None = None
    preview_pull_request: str | None = None
    """The pull request this build previews, if it is a preview."""
    assets_pending: PendingRender | None = None
    """Set when the diagrams were left rendering in the background: ``assets`` are where their
    files will be once this is waited for (the post-build stage does, then copies them)."""

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.report.warnings


def build_date() -> datetime.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` so that rebuilding an old
    commit gives the same pages (stale badges included)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()


def preview_pull_request(configured: str | int | None = None) -> str | None:
    """The pull request number a preview build is for: the configured one, else
    :data:`PREVIEW_VARIABLE`; None for a normal build."""
    value = str(configured if configured not in (None, "") else os.environ.get(PREVIEW_VARIABLE, "")).strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise UsageError(f"{PREVIEW_VARIABLE} / preview_pull_request must be a pull request number, not '{value}'")
    return value


def _invalid_bundles(report: ValidationReport) -> dict[str, list[Diagnostic]]:
    by_slug: dict[str, list[Diagnostic]] = {}
    for slug, bundle in report.bundles.items():
        if slug in report.valid_slugs:
            continue
        folder = bundle.directory.name
        by_slug[slug] = [d for d in report.errors if f"/{folder}/" in f"/{d.path}/" or d.path.endswith(folder)]
    return by_slug


def build_library(settings: LibrarySettings, progress: Callable[[int, int], None] | None = None, *,
                  diagrams_in_background: bool = False) -> LibraryBuild:
    """Validate the catalogue and produce every page and asset of the library.

    With ``diagrams_in_background``, a large cold diagram render is started first and
    left running in worker processes (see :attr:`LibraryBuild.assets_pending`): the
    engine turns the pages into HTML on one core while the diagrams are drawn on the
    others, instead of waiting for them.

    Raises :class:`ValidationFailed` when the catalogue has errors, unless
    ``tolerate_invalid`` is set and the catalogue file itself is sound.
    """
    today = build_date()
    preview = preview_pull_request(settings.preview_pull_request)  # a bad value fails before any work
    report = validate_paths([settings.patterns_dir], today=today)
    invalid = _invalid_bundles(report)
    if report.catalogue is None or (report.errors and not settings.tolerate_invalid):
        raise ValidationFailed(report.errors)
    catalogue = Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)
    history = read_catalogue_history(settings.patterns_dir)
    options = SiteOptions(today=today, edit_url_template=settings.edit_url_template, history=history)
    # The relation graphs first, as every page waits for them (a large cold render is drawn by
    # forked workers, which have exited on return); then the diagrams, which only the copy waits for.
    graphs = render_relation_graphs(catalogue, settings.cache_dir)
    assets, pending, texts = start_diagram_assets(catalogue, settings.cache_dir, progress,
                                                  background=diagrams_in_background)
    try:
        plan = plan_site(catalogue, settings.templates_dir, options, invalid if settings.tolerate_invalid else None,
                         about_page=settings.about_page, graphs=graphs, download_texts=texts)
    except BaseException:
        pending.cancel()
        raise
    return LibraryBuild(report, plan, assets, catalogue, history, preview,
                        assets_pending=pending if pending.running else None)


@dataclass(frozen=True)
class BundleUpdate:
    """What one edited bundle changes first: its own page and diagrams."""

    slug: str
    page: GeneratedPage
    """The pattern's page, or (when the bundle no longer validates) the page listing its problems."""
    assets: dict[str, Path]
    """The bundle's diagram SVGs by site path (files in the diagram cache)."""
    diagnostics: list[Diagnostic]
    """Every problem found in the bundle and in the cross-bundle rules that involve it."""
    catalogue: Catalogue
    """The catalogue with the edited bundle in (or out, when it no longer validates)."""


def rebuild_bundle(settings: LibrarySettings, build: LibraryBuild, slug: str,
                   renderer: PageRenderer | None = None) -> BundleUpdate:
    """Validate and render the one bundle ``slug`` against a finished ``build``.

    Only that bundle goes through the bundle rules, and the cross-bundle rules
    run on it alone against the catalogue's folder names (its relations resolve,
    the kinds it points at, its review date). Pages that list the bundle
    (categories, facets, neighbours' pages, search) are left to a full build:
    this is the first, fast answer a preview shows while that runs.
    ``build.catalogue`` is not changed; the caller keeps :attr:`BundleUpdate.catalogue`.
    """
    if build.catalogue is None:
        raise UsageError("no catalogue to update: build the library first")
    today = build_date()
    report = validate_paths([settings.patterns_dir / slug], today=today)
    invalid = _invalid_bundles(report)
    patterns = {key: value for key, value in build.catalogue.patterns.items() if key != slug}
    anti_patterns = {key: value for key, value in build.catalogue.anti_patterns.items() if key != slug}
    patterns.update(report.patterns)
    anti_patterns.update(report.anti_patterns)
    catalogue = Catalogue.from_models(build.catalogue.definitions, patterns, anti_patterns)
    options = SiteOptions(today=today, edit_url_template=settings.edit_url_template, history=build.history)
    assets: dict[str, Path] = {}
    texts: DownloadTexts = {}
    graphs = RelationGraphs()
    if slug in catalogue.entries:
        from patternbook.diagrams import render_neighbourhood_graphs

        graphs = RelationGraphs(render_neighbourhood_graphs(catalogue, settings.cache_dir,
                                                            link=lambda other: f"../{other}/", slugs=[slug]))
        assets, _, texts = start_diagram_assets(catalogue, settings.cache_dir, slugs=[slug])
    page = plan_bundle_page(catalogue, slug, options, renderer or PageRenderer(settings.templates_dir), graphs,
                            invalid.get(slug, []), texts)
    return BundleUpdate(slug, page, assets, report.diagnostics, catalogue)


def render_relation_graphs(catalogue: Catalogue, cache_dir: Path) -> RelationGraphs:
    """Each pattern's neighbourhood (for its own page), links relative to that page.
    The catalogue-wide graph is laid out by the pages layer, without Graphviz."""
    from patternbook.diagrams import render_neighbourhood_graphs

    return RelationGraphs(render_neighbourhood_graphs(catalogue, cache_dir, link=lambda slug: f"../{slug}/"))


def start_diagram_assets(catalogue: Catalogue, cache_dir: Path, progress: Callable[[int, int], None] | None = None,
                         *, background: bool = False, slugs: list[str] | None = None,
                         ) -> tuple[dict[str, Path], PendingRender, DownloadTexts]:
    """Every diagram of every pattern and anti-pattern (or of ``slugs``) as files, keyed by their
    paths in the site: the SVG the page shows and, beside it, each download the page links to;
    and the text of the downloads the page carries inline, for the page planner. With ``background``
    the files may still be drawn after this returns, until the render's ``wait()`` does."""
    from patternbook.diagrams import inline_download_texts, start_pattern_diagram_files
    from patternbook.schema.diagram import INLINE_DOWNLOAD_FORMATS

    bundles = [catalogue.entries[slug] for slug in slugs] if slugs is not None else list(catalogue.entries.values())
    rendered, pending = start_pattern_diagram_files(bundles, cache_dir=cache_dir, progress=progress,
                                                    background=background)
    try:
        texts = inline_download_texts(bundles, rendered, pending)
    except BaseException:
        pending.cancel()
        raise
    return {diagram_asset_path(slug, diagram_id, suffix): path
            for (slug, diagram_id), files in rendered.items() for suffix, path in files.items()
            if suffix not in INLINE_DOWNLOAD_FORMATS}, pending, texts
