"""The MkDocs adapter: thin hooks that hand off to :mod:`patternbook.pipeline.build`.

Each hook checks whether it should run, hands off, returns. The site is built
into a staging folder and swapped into place only when the build succeeded, so
a failed build never leaves a half-written site where the previous one stood.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from patternbook.errors import PatternbookError, ValidationFailed
from patternbook.escaping import TerminalTextFilter, terminal_text
from patternbook.mkdocs_plugin.config import PatternbookConfig
from patternbook.mkdocs_plugin.page_cache import PageCache
from patternbook.mkdocs_plugin.raw_html import RawHtmlBlocks, sets_aside_safely
from patternbook.pipeline.build import LibraryBuild, LibrarySettings, build_library
from patternbook.pipeline.site_config import edit_url_template, own_templates_dir, require_material_theme
from patternbook.postbuild.context import PostBuildContext
from patternbook.postbuild.publish import discard_staging, staging_dir_for, swap_into_place
from patternbook.postbuild.steps import run_post_build

__all__ = ["PatternbookPlugin"]

log = logging.getLogger("mkdocs.plugins.patternbook")
# Records quote paths, keys and values from the catalogue: printed as terminal text.
log.addFilter(TerminalTextFilter())


class PatternbookPlugin(BasePlugin[PatternbookConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.previewing = False
        """Set by ``patternbook serve`` (:mod:`patternbook.serve`): build like
        ``mkdocs build`` into the preview folder, but show a bundle that fails validation as a
        page of its diagnostics instead of stopping."""
        self.build: LibraryBuild | None = None
        self.settings: LibrarySettings | None = None
        self.site_dir: Path | None = None
        self.staging_dir: Path | None = None
        self.watched: list[Path] = []
        self.page_cache: PageCache | None = None
        self.generated: set[str] = set()
        self.edit_urls: dict[str, str | None] = {}
        self.raw_html: dict[str, RawHtmlBlocks] = {}
        self.set_aside_raw_html = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        patterns_dir = root / self.config.patterns_dir
        try:
            require_material_theme(config.theme.name)
            settings = LibrarySettings(
                patterns_dir=patterns_dir,
                templates_dir=own_templates_dir(root, self.config.templates_dir),
                cache_dir=root / self.config.cache_dir,
                edit_url_template=self.config.edit_url_template or edit_url_template(
                    config.repo_url, config.edit_uri, Path(config.docs_dir), patterns_dir),
                about_page="about.md" if (Path(config.docs_dir) / "about.md").is_file() else None,
                tolerate_invalid=self.serving or self.previewing,
                preview_pull_request=self.config.preview_pull_request,
            )
        except PatternbookError as error:
            raise PluginError(terminal_text(str(error), keep_newlines=True)) from None
        _use_packaged_theme(config)
        self.settings = settings
        self.cache_dir = settings.cache_dir
        self.watched = [settings.patterns_dir, *([settings.templates_dir] if settings.templates_dir else [])]
        try:
            # A build draws its diagrams while MkDocs builds the pages; a server needs them at once.
            self.build = build_library(settings, diagrams_in_background=not self.serving and not self.previewing)
        except ValidationFailed as failure:
            raise PluginError("the catalogue does not validate:\n" + str(failure)) from None  # Diagnostic.format cleans
        except PatternbookError as error:
            raise PluginError(terminal_text(str(error), keep_newlines=True)) from None
        for diagnostic in self.build.report.diagnostics:
            # Warnings make `mkdocs build --strict` fail; errors only reach here while serving.
            log.warning(diagnostic.format())
        if not config.nav:
            config.nav = self.build.plan.nav
        if not self.serving and not self.previewing:
            # The preview syncs its own folder file by file; a build swaps the whole site.
            self.site_dir = Path(config.site_dir)
            self.staging_dir = staging_dir_for(self.site_dir)
            config.site_dir = str(self.staging_dir)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.build is None:
            return None
        for page in self.build.plan.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:  # a hand-written page of the same name loses to the catalogue
                files.remove(existing)
            files.append(File.generated(config, page.path, content=page.content))
        if self.build.assets_pending is None:  # else the post-build stage copies them once drawn
            for path, source in self.build.assets.items():
                files.append(File.generated(config, path, abs_src_path=str(source)))
        self.edit_urls = {page.path: page.edit_url for page in self.build.plan.pages}
        # Pages other plugins rewrite from their Markdown (Material's tags listing) are left to them.
        self.generated = {page.path for page in self.build.plan.pages if "<!-- material/" not in page.content}
        self.page_cache = PageCache(self.cache_dir / "pages", config, files)
        self.set_aside_raw_html = sets_aside_safely(config.markdown_extensions)
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if page.file.src_uri in self.edit_urls:
            # MkDocs would point at docs/<page>.md, which does not exist: a generated page is edited at its source.
            page.edit_url = self.edit_urls[page.file.src_uri]
        if self.page_cache is None or page.file.src_uri not in self.generated:
            return None
        # A cached page is converted from nothing; on_page_content puts its stored result back.
        if self.page_cache.lookup(page, markdown):
            return ""
        if not self.set_aside_raw_html:
            return None
        # Its HTML blocks skip Python-Markdown, which would pass them through unchanged.
        blocks = self.raw_html[page.file.src_uri] = RawHtmlBlocks()
        return blocks.set_aside(markdown)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.page_cache is None or page.file.src_uri not in self.generated:
            return None
        blocks = self.raw_html.pop(page.file.src_uri, None)
        if blocks is not None:
            html = blocks.restore(html)
            page.present_anchor_ids = (page.present_anchor_ids or set()) | blocks.anchor_ids()
        return self.page_cache.finish(page, html)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.config.enabled:
            for path in self.watched:
                if path.exists():
                    server.watch(str(path))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled and self.build is not None:
            try:
                run_post_build(PostBuildContext(Path(config.site_dir), self.build, config.site_url or None,
                                                site_name=config.site_name,
                                                site_description=config.site_description or None,
                                                serving=self.serving))
            except PatternbookError as error:
                raise PluginError(terminal_text(str(error), keep_newlines=True)) from None
        if self.staging_dir is None or self.site_dir is None:
            return
        swap_into_place(self.staging_dir, self.site_dir)
        config.site_dir = str(self.site_dir)
        self.staging_dir = None

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None and self.build.assets_pending is not None:
            self.build.assets_pending.cancel()
        if self.staging_dir is not None:
            discard_staging(self.staging_dir)
            self.staging_dir = None


def _use_packaged_theme(config: MkDocsConfig) -> None:
    """Put the packaged overrides on Material's search path, after the site's own
    ``custom_dir`` (whose files win, one by one) and before Material itself, and
    link their stylesheet and script, so ``theme: material`` is all a site needs."""
    from patternbook.resources import THEME_SCRIPTS, THEME_STYLESHEETS, packaged_theme_overrides

    packaged = str(packaged_theme_overrides())
    dirs = config.theme.dirs
    if not any(os.path.realpath(d) == os.path.realpath(packaged) for d in dirs):
        dirs.insert(1 if config.theme.custom_dir else 0, packaged)
    for path in THEME_STYLESHEETS:
        if path not in config.extra_css:
            config.extra_css.append(path)
    for path in THEME_SCRIPTS:
        if path not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(path)

