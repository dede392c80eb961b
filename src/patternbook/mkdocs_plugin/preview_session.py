"""One preview: MkDocs kept in memory, one page re-rendered per edited bundle.

``mkdocs serve`` rebuilds the whole site on every save: at 1,000 patterns that is
~13 s before a contributor sees the edit. Rendering one page costs tens of
milliseconds, so this session builds the site once in-process, keeps what the
build gathered (configuration, files, navigation, the theme's Jinja
environment, the validated catalogue) and, when a bundle changes, validates that
bundle and the cross-bundle rules that involve it, renders its page through
MkDocs' own page build and writes it atomically into the preview folder. Pages
that list the bundle (categories, facets, neighbours, search) follow from a full
build in a child process, whose output replaces the preview file by file; after
it the preview folder holds exactly what ``mkdocs build`` writes.

MkDocs has no public API for building one page: :func:`_populate_page` and
:func:`_build_page` of ``mkdocs.commands.build`` are used as MkDocs 1.6 defines
them (:data:`SUPPORTED_MKDOCS`). Under any other MkDocs every change takes the
full-build path: slower, never wrong.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from patternbook.errors import PatternbookError
from patternbook.mkdocs_plugin.plugin import PatternbookPlugin
from patternbook.pages import PageRenderer
from patternbook.pipeline.build import rebuild_bundle
from patternbook.postbuild.context import PostBuildContext
from patternbook.postbuild.csp import POLICY_FILE, with_policy
from patternbook.postbuild.page_head import annotate_page

__all__ = ["SUPPORTED_MKDOCS", "PreviewSession", "interrupt", "mkdocs_supports_one_page_builds", "sync_folder"]

log = logging.getLogger("patternbook.preview")

#: The MkDocs releases whose ``_populate_page`` / ``_build_page`` this module calls;
#: tests/serve checks the installed MkDocs is one of them.
SUPPORTED_MKDOCS = ("1.6.",)


_deferred = {"depth": 0, "pending": False}


def interrupt(signum: int, frame: object) -> None:
    """SIGINT/SIGTERM handler: stop now, except while a child build is being started (stopping
    between its fork and our record of it would leave it running); then stop right after."""
    if _deferred["depth"]:
        _deferred["pending"] = True
        return
    raise KeyboardInterrupt


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    _deferred["depth"] += 1
    try:
        yield
    finally:
        _deferred["depth"] -= 1
    if not _deferred["depth"] and _deferred["pending"]:
        _deferred["pending"] = False
        raise KeyboardInterrupt


def mkdocs_supports_one_page_builds() -> bool:
    return metadata.version("mkdocs").startswith(SUPPORTED_MKDOCS)


class _Capture(BasePlugin):
    """Keeps what ``mkdocs.commands.build.build`` gathers and then drops."""

    files: Files | None = None
    nav: Navigation | None = None
    env: Any = None

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        self.nav, self.files = nav, files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> None:
        self.env = env


def load_preview_config(config_file: Path, site_dir: Path) -> tuple[MkDocsConfig, PatternbookPlugin]:
    """The site's configuration, building into ``site_dir`` with the plugin in preview mode."""
    config = load_config(str(config_file), site_dir=str(site_dir))
    plugin = config.plugins.get("patternbook")
    if not isinstance(plugin, PatternbookPlugin):
        raise PatternbookError(f"{config_file}: the 'patternbook' plugin is not listed under 'plugins'; "
                               "'patternbook serve' previews a site that uses it")
    plugin.previewing = True
    return config, plugin


def sync_folder(source: Path, target: Path) -> list[str]:
    """Make ``target`` hold what ``source`` holds, moving each differing file in with one
    rename (a reader never sees half a file) and deleting what ``source`` lacks.
    Returns the site paths that changed. ``source`` is consumed."""
    changed: list[str] = []
    present = {path.relative_to(source).as_posix() for path in source.rglob("*")}
    for path in sorted(source.rglob("*")):
        if path.is_dir() or path.is_symlink():
            continue
        relative = path.relative_to(source).as_posix()
        destination = target / relative
        try:
            same = destination.stat().st_size == path.stat().st_size and destination.read_bytes() == path.read_bytes()
        except OSError:
            same = False
        if not same:
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)
            changed.append(relative)
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if relative in present:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
            changed.append(relative)
    shutil.rmtree(source, ignore_errors=True)
    return changed


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a rename; False when it already held them."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


@dataclass
class _Built:
    config: MkDocsConfig
    plugin: PatternbookPlugin
    files: Files
    nav: Navigation
    env: Any
    renderer: PageRenderer


@dataclass
class PreviewSession:
    config_file: Path
    work_dir: Path
    """Holds the preview folder and the full builds' staging folders; never the published site."""
    built: _Built | None = None
    builds: int = 0
    background: subprocess.Popen | None = None
    background_dir: Path | None = None
    background_log: Any = None
    started_at_generation: int = 0
    generation: int = 0
    """Counts edits: a full build started before the latest edit is stale and is thrown away."""
    engine_command: list[str] | None = None
    """For an engine other than MkDocs: the full build to run per change (the site folder is appended).
    None: MkDocs, in this process for the first answer and in a child process for the rest."""

    @property
    def site_dir(self) -> Path:
        return self.work_dir / "site"

    def _staging(self) -> Path:
        self.builds += 1
        staging = self.work_dir / f"build-{self.builds}"
        shutil.rmtree(staging, ignore_errors=True)
        return staging

    # -- the whole site, in this process ---------------------------------------------------------

    def build_everything(self) -> list[str]:
        """Build the whole site in-process (keeping what the build gathered) and sync it
        into the preview folder. Used at start and when more than one bundle changed
        (configuration, templates, the catalogue file, a bundle added or removed)."""
        self.cancel_background()
        staging = self._staging()
        config, plugin = load_preview_config(self.config_file, staging)
        capture = _Capture()
        config.plugins["patternbook-preview"] = capture
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config)
        finally:
            config.plugins.on_shutdown()
        if plugin.settings is None or plugin.build is None or capture.files is None or capture.nav is None:
            raise PatternbookError("the Patternbook plugin is disabled in this configuration; nothing to preview")
        self.built = _Built(config, plugin, capture.files, capture.nav, capture.env,
                            PageRenderer(plugin.settings.templates_dir))
        self.site_dir.mkdir(parents=True, exist_ok=True)
        return sync_folder(staging, self.site_dir)

    # -- one bundle, in this process -------------------------------------------------------------

    def page_of(self, slug: str) -> str | None:
        """The site path of bundle ``slug``'s page, if the last full build has one."""
        if self.built is None:
            return None
        from patternbook.pages import pattern_page_path

        file = self.built.files.get_file_from_path(pattern_page_path(slug))
        return None if file is None or file.page is None else file.dest_uri

    def update_bundle(self, slug: str) -> list[str]:
        """Validate and render bundle ``slug`` alone and write its page and diagrams into
        the preview folder. Returns the site paths written."""
        built = self.built
        assert built is not None and built.plugin.settings is not None and built.plugin.build is not None
        from patternbook.pages import pattern_page_path

        update = rebuild_bundle(built.plugin.settings, built.plugin.build, slug, built.renderer)
        for diagnostic in update.diagnostics:
            log.warning(diagnostic.format())
        built.plugin.build.catalogue = update.catalogue
        file = built.files.get_file_from_path(pattern_page_path(slug))
        assert file is not None and file.page is not None
        file.content_string = update.page.content
        built.plugin.edit_urls[file.src_uri] = update.page.edit_url
        config = built.config
        written: list[str] = []
        for path, source in sorted(update.assets.items()):
            if write_atomically(self.site_dir / path, source.read_bytes()):
                written.append(path)

        destination = self.site_dir / file.dest_uri
        temporary = destination.with_name(f".{destination.name}.{os.getpid()}.render")
        file.abs_dest_path = str(temporary)  # MkDocs writes here; the finished page is renamed in
        try:
            mkdocs_build._populate_page(file.page, config, built.files)
            doc_files = built.files.documentation_pages(inclusion=InclusionLevel.is_included)
            mkdocs_build._build_page(file.page, config, doc_files, built.nav, built.env)
            html = temporary.read_text(encoding="utf-8", errors="surrogateescape")
        finally:
            temporary.unlink(missing_ok=True)
        # The post-build steps that touch one page's HTML, as a full build runs them; the policy is
        # the last full build's (its hashes cover every inline script the theme writes).
        context = PostBuildContext(self.site_dir, built.plugin.build, config.site_url or None,
                                   site_name=config.site_name, site_description=config.site_description or None)
        html = annotate_page(context, destination, html) or html
        policy_file = self.site_dir / POLICY_FILE
        if policy_file.is_file():
            html = with_policy(html, policy_file.read_text(encoding="utf-8").strip())
        if write_atomically(destination, html.encode("utf-8", errors="surrogateescape")):
            written.append(file.dest_uri)
        return written

    # -- the whole site, in a child process ------------------------------------------------------

    def start_background(self) -> None:
        """Start (or restart) a full build of the current sources in a child process."""
        self.cancel_background()
        staging = self._staging()
        self.background_dir = staging
        self.started_at_generation = self.generation
        self.work_dir.mkdir(parents=True, exist_ok=True)  # other engines start here, before any build
        self.background_log = open(self.work_dir / "background-build.log", "wb")  # noqa: SIM115 - closed in finish
        command = [*self.engine_command, str(staging)] if self.engine_command else [
            sys.executable, "-m", "patternbook.mkdocs_plugin.preview_build", str(self.config_file), str(staging)]
        with _interrupts_deferred():
            # Its own process group: stopping it stops what it started too (Pagefind, dot).
            self.background = subprocess.Popen(
                command, cwd=self.config_file.parent, stdout=self.background_log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_lower_priority)

    def cancel_background(self) -> None:
        if self.background is not None:
            _signal_group(self.background.pid, signal.SIGTERM)
            try:
                self.background.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(self.background.pid, signal.SIGKILL)
                self.background.wait()
            self.background = None
        if self.background_log is not None:
            self.background_log.close()
            self.background_log = None
        if self.background_dir is not None:
            shutil.rmtree(self.background_dir, ignore_errors=True)
            self.background_dir = None

    def finish_background(self) -> list[str] | None:
        """If the child build has ended: sync its site in (when no edit came since it
        started and it succeeded) and return the changed paths; None while it runs."""
        if self.background is None or self.background.poll() is None:
            return None
        succeeded = self.background.returncode == 0 and self.started_at_generation == self.generation
        staging = self.background_dir
        self.background = None
        self.background_log.close()
        self.background_log = None
        self.background_dir = None
        if staging is None:
            return []
        if not succeeded:
            if self.started_at_generation == self.generation:
                tail = (self.work_dir / "background-build.log").read_text(encoding="utf-8", errors="replace")
                log.error("the full preview build failed; the preview keeps the last good one:\n%s", tail[-3000:])
            shutil.rmtree(staging, ignore_errors=True)
            return []
        return sync_folder(staging, self.site_dir)

    def close(self) -> None:
        self.cancel_background()
        shutil.rmtree(self.work_dir, ignore_errors=True)


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)


def _lower_priority() -> None:
    # The full build may take every core it finds; the next edit's page must not wait for it.
    os.nice(10)


def build_site(config_file: Path, site_dir: Path) -> None:
    """A full build in preview mode (what the child process of :meth:`PreviewSession.start_background` runs)."""
    config, _ = load_preview_config(config_file, site_dir)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(config)
    finally:
        config.plugins.on_shutdown()
