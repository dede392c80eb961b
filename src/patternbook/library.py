"""Building the library: validate → catalogue → diagrams → pages.

One pipeline for both adapters. The MkDocs plugin serves its pages and assets
from memory; ``patternbook export`` writes them to a folder any engine that
reads ``mkdocs.yml`` can build.
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

__all__ = ["PREVIEW_VARIABLE", "BundleUpdate", "LibraryBuild", "LibrarySettings", "SiteConfig", "build_date",
           "build_library", "edit_url_template", "export_library", "own_templates_dir", "preview_pull_request",
           "read_site_config", "rebuild_bundle", "require_material_theme"]

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


EXPORT_MARKER = "# Exported by `patternbook export`"

#: Where MkDocs points "edit" links when ``repo_url`` is on a known host and ``edit_uri`` is unset.
DEFAULT_EDIT_URIS = {"github.com": "edit/master/docs/", "gitlab.com": "edit/master/docs/",
                     "bitbucket.org": "src/default/docs/"}


def own_templates_dir(root: Path, configured: str | None) -> Path | None:
    """The catalogue's own templates folder. ``templates/`` is used when it
    exists; a folder named in the configuration must exist."""
    from patternbook.errors import UsageError

    if configured is None:
        default = root / "templates"
        return default if default.is_dir() else None
    folder = root / configured
    if not folder.is_dir():
        raise UsageError(f"templates_dir '{configured}' is not a folder next to mkdocs.yml; create it, or remove "
                         "the option to use the packaged templates")
    return folder


def edit_url_template(repo_url: str | None, edit_uri: str | None, docs_dir: Path, patterns_dir: Path) -> str | None:
    """The "Edit this pattern" link for ``{slug}``, from the site's own ``repo_url`` and ``edit_uri``.

    ``edit_uri`` points at the docs folder in the repository (MkDocs' meaning),
    so the pattern file is reached by its path relative to the docs folder:
    ``https://github.com/org/repo/edit/main/docs/`` + ``../patterns/{slug}/pattern.yaml``.
    """
    from urllib.parse import urljoin, urlsplit

    from patternbook.loader import PATTERN_FILE

    if not repo_url:
        return None
    if edit_uri is None:
        edit_uri = DEFAULT_EDIT_URIS.get((urlsplit(repo_url).hostname or "").lower())
    if not edit_uri:
        return None
    base = edit_uri if "://" in edit_uri else repo_url.rstrip("/") + "/" + edit_uri.lstrip("/")
    if not base.endswith("/"):
        base += "/"
    relative = os.path.relpath(patterns_dir / "{slug}" / PATTERN_FILE, docs_dir).replace(os.sep, "/")
    return urljoin(base, relative)


def require_material_theme(theme: object) -> None:
    """The packaged overrides are Material partials; under another theme the pages would lose their styling."""
    from patternbook.errors import UsageError

    name = theme.get("name") if isinstance(theme, dict) else theme
    if name != "material":
        raise UsageError(f"Patternbook needs Material for MkDocs, but the theme is {name!r}; "
                         "set 'theme: {name: material}' in mkdocs.yml")


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


@dataclass(frozen=True)
class SiteConfig:
    """What Patternbook reads of a ``mkdocs.yml``: where things are, and the plugin's options."""

    path: Path
    raw: dict
    settings: LibrarySettings


def read_site_config(config_file: Path) -> SiteConfig:
    """Read ``mkdocs.yml`` without MkDocs (safe YAML; ``!ENV`` and other tags are refused)."""
    import yaml

    if not config_file.is_file():
        raise UsageError(f"{config_file}: no such file; run this in a catalogue repository (one is started with "
                         "'patternbook init') or name the site configuration with --config")
    try:
        raw = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise UsageError(f"{config_file}: cannot read the site configuration: {error}") from None
    if not isinstance(raw, dict):
        raise UsageError(f"{config_file}: the site configuration must be a mapping of settings")
    options: dict = {}
    for entry in raw.get("plugins") or []:
        if isinstance(entry, dict) and "patternbook" in entry:
            options = entry["patternbook"] or {}
    root = config_file.resolve().parent
    docs_dir = root / raw.get("docs_dir", "docs")
    patterns_dir = root / options.get("patterns_dir", "patterns")
    settings = LibrarySettings(
        patterns_dir=patterns_dir,
        templates_dir=own_templates_dir(root, options.get("templates_dir")),
        cache_dir=root / options.get("cache_dir", ".cache/patternbook"),
        edit_url_template=options.get("edit_url_template") or edit_url_template(
            raw.get("repo_url"), raw.get("edit_uri"), docs_dir, patterns_dir),
        about_page="about.md" if (docs_dir / "about.md").is_file() else None,
        preview_pull_request=options.get("preview_pull_request"),
    )
    return SiteConfig(config_file, raw, settings)


def export_library(site: SiteConfig, target: Path, progress: Callable[[int, int], None] | None = None) -> LibraryBuild:
    """Write the library as plain files: ``target/mkdocs.yml`` (without the
    Patternbook plugin), ``target/docs/`` and the theme overrides. Any engine
    that reads ``mkdocs.yml`` (MkDocs, ProperDocs, Zensical) builds it as is."""
    import shutil

    import yaml

    require_material_theme(site.raw.get("theme"))
    exported_before = (target / "mkdocs.yml").is_file() and (target / "mkdocs.yml").read_text(
        encoding="utf-8", errors="replace").startswith(EXPORT_MARKER)
    if target.exists() and any(target.iterdir()) and not exported_before:
        # Only a folder this command wrote is replaced; anything else might be someone's work.
        raise UsageError(f"{target} exists and is not an earlier export; choose an empty or new folder")
    build = build_library(site.settings, progress)
    root = site.path.resolve().parent
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    source_docs = root / site.raw.get("docs_dir", "docs")
    if source_docs.is_dir():
        shutil.copytree(source_docs, docs)
    docs.mkdir(parents=True, exist_ok=True)
    directory_urls = site.raw.get("use_directory_urls", True) is not False
    for page in build.plan.pages:
        destination = docs / _exported_page_path(page.path, directory_urls)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(page.content, encoding="utf-8")
    for path, source in build.assets.items():
        destination = docs / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)

    config = {key: value for key, value in site.raw.items() if key not in ("docs_dir", "site_dir", "nav")}
    config["docs_dir"] = "docs"
    generated = {page.path for page in build.plan.pages}
    config["nav"] = _exported_nav(build.plan.nav, generated, directory_urls)
    config["plugins"] = [p for p in site.raw.get("plugins") or []
                         if not (p == "patternbook" or (isinstance(p, dict) and "patternbook" in p))]
    # The packaged overrides, then the site's own custom_dir file by file on top: the same
    # search order the plugin gives Material.
    from patternbook.resources import THEME_SCRIPTS, THEME_STYLESHEETS, packaged_theme_overrides

    theme = config.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme}
    shutil.copytree(packaged_theme_overrides(), target / "overrides")
    custom_dir = theme.get("custom_dir")
    if custom_dir and (root / custom_dir).is_dir():
        shutil.copytree(root / custom_dir, target / "overrides", dirs_exist_ok=True)
    theme["custom_dir"] = "overrides"
    config["theme"] = theme
    config["extra_css"] = _with_entries(config.get("extra_css"), THEME_STYLESHEETS)
    config["extra_javascript"] = _with_entries(config.get("extra_javascript"), THEME_SCRIPTS)
    (target / "mkdocs.yml").write_text(
        EXPORT_MARKER + ": a plain site, no Patternbook plugin needed.\n"
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return build


def _exported_page_path(path: str, directory_urls: bool) -> str:
    """Where a generated page is written: ``patterns/circuit-breaker.md`` becomes
    ``patterns/circuit-breaker/index.md`` with directory URLs (the same URL).

    The pages hold raw HTML with links relative to the page's URL. MkDocs leaves
    such links as written; Zensical resolves them against the Markdown file's folder.
    With the file in the folder of its URL both readings give the same target."""
    if not directory_urls or not path.endswith(".md") or path == "index.md" or path.endswith("/index.md"):
        return path
    return path.removesuffix(".md") + "/index.md"


def _exported_nav(nav: object, generated: set[str], directory_urls: bool) -> object:
    if isinstance(nav, str):
        return _exported_page_path(nav, directory_urls) if nav in generated else nav
    if isinstance(nav, list):
        return [_exported_nav(item, generated, directory_urls) for item in nav]
    if isinstance(nav, dict):
        return {key: _exported_nav(value, generated, directory_urls) for key, value in nav.items()}
    return nav


def _with_entries(listed: object, required: tuple[str, ...]) -> list:
    entries = list(listed) if isinstance(listed, list) else []
    present = {entry if isinstance(entry, str) else (entry or {}).get("path") for entry in entries}
    return entries + [path for path in required if path not in present]
