"""``patternbook build``: one front door to every engine that reads ``mkdocs.yml``.

The core owns the pipeline; an engine adapter only says how to run the engine.

* **MkDocs** (the default) builds with the Patternbook plugin, which validates,
  renders, runs the post-build stage and swaps the site into place itself: the
  front door only runs ``mkdocs build``.
* **ProperDocs** and **Zensical** build what ``patternbook export`` writes (into
  the cache folder), into a staging folder beside the site; then Patternbook's
  post-build stage (:mod:`patternbook.postbuild`) runs on it, once, and the
  staging folder replaces the site. A failed build leaves the previous site.

Engines run as subprocesses of this interpreter, so nothing here imports them
and a missing optional engine is a usage error naming the extra to install.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from patternbook.errors import UsageError, ValidationFailed
from patternbook.pipeline.export import export_library
from patternbook.pipeline.site_config import read_site_config
from patternbook.postbuild.context import PostBuildContext
from patternbook.postbuild.publish import discard_staging, staging_dir_for, swap_into_place
from patternbook.postbuild.steps import run_post_build

__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "EngineFailed", "build_site"]


@dataclass(frozen=True)
class Engine:
    name: str
    module: str
    """The Python module that runs it (``python -m MODULE build``)."""
    extra: str | None
    """The pip extra of Patternbook that installs it; None when it always is."""
    runs_plugin: bool
    """Whether it loads the Patternbook plugin (which then runs the post-build stage itself)."""
    site_dir_option: bool
    """Whether ``build`` takes ``-d SITE``; otherwise it builds into ``site/`` beside the exported
    ``mkdocs.yml`` (Zensical refuses a site folder outside the project) and the site is moved from there."""

    def command(self, config_file: Path, site_dir: Path | None, strict: bool) -> list[str]:
        command = [sys.executable, "-m", self.module, "build", "--config-file", str(config_file)]
        if site_dir is not None and self.site_dir_option:
            command += ["--site-dir", str(site_dir)]
        return command + (["--strict"] if strict else [])

    def installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None


ENGINES: dict[str, Engine] = {
    "mkdocs": Engine("mkdocs", "mkdocs", None, runs_plugin=True, site_dir_option=True),
    "properdocs": Engine("properdocs", "properdocs", "properdocs", runs_plugin=False, site_dir_option=True),
    "zensical": Engine("zensical", "zensical", "zensical", runs_plugin=False, site_dir_option=False),
}
DEFAULT_ENGINE = "mkdocs"


class EngineFailed(Exception):
    """The engine's own build failed; it has already said why on stderr."""

    def __init__(self, engine: str, status: int) -> None:
        super().__init__(f"{engine} build failed (exit status {status}); the previous site is unchanged")
        self.status = status


def build_site(engine_name: str, config_file: Path, site_dir: Path | None = None, *, strict: bool = False,
               progress: Callable[[int, int], None] | None = None) -> Path | None:
    """Build the library with ``engine_name`` into ``site_dir`` (default: the
    configuration's ``site_dir``) and return where it is (None: where MkDocs put it).

    Raises :class:`UsageError` (bad configuration, engine not installed),
    :class:`ValidationFailed` (the catalogue is invalid, or has warnings under
    ``strict``) or :class:`EngineFailed`.
    """
    engine = ENGINES[engine_name]
    if not engine.installed():
        raise UsageError(f"the {engine.name} engine is not installed; install it with "
                         f"pip install 'patternbook[{engine.extra}]'")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if engine.runs_plugin:
        # The plugin validates, renders, runs the post-build stage and swaps the site into place;
        # MkDocs reads the configuration itself (with its own YAML tags such as !ENV).
        if not config_file.is_file():
            read_site_config(config_file)  # the usage error for a missing configuration
        root = config_file.resolve().parent
        target = _checked_target(site_dir.resolve(), root) if site_dir is not None else None
        status = subprocess.run(engine.command(config_file.resolve(), target, strict), cwd=root,
                                env=environment).returncode
        if status != 0:
            raise EngineFailed(engine.name, status)
        return target

    site = read_site_config(config_file)
    root = site.path.resolve().parent
    target = _checked_target((site_dir or root / str(site.raw.get("site_dir") or "site")).resolve(), root)
    staging = staging_dir_for(target)
    exported = site.settings.cache_dir / f"export-{engine.name}"
    build = export_library(site, exported, progress)
    if strict and build.report.warnings:
        raise ValidationFailed(build.report.warnings)
    try:
        built = staging if engine.site_dir_option else exported / "site"
        status = subprocess.run(engine.command(exported / "mkdocs.yml", built, strict), cwd=exported,
                                env=environment).returncode
        if status != 0 or not (built / "index.html").is_file():
            raise EngineFailed(engine.name, status)
        if built != staging:
            shutil.move(built, staging)  # a rename when the cache and the site share a file system
        raw = site.raw
        run_post_build(PostBuildContext(staging, build, raw.get("site_url") or None,
                                        site_name=raw.get("site_name") or "Patternbook",
                                        site_description=raw.get("site_description") or None))
        swap_into_place(staging, target)
    finally:
        discard_staging(staging)
    return target


def _checked_target(target: Path, root: Path) -> Path:
    if target == root or target in root.parents:
        raise UsageError(f"{target}: refusing to replace a folder that holds the project; choose another -d")
    return target
