"""What Patternbook reads of a site's ``mkdocs.yml``: where the catalogue, templates and
cache are, the plugin's options, and the "edit this pattern" link derived from the
site's own repository settings. Read without MkDocs, so every engine shares it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from patternbook.errors import UsageError
from patternbook.pipeline.build import LibrarySettings

__all__ = ["DEFAULT_EDIT_URIS", "SiteConfig", "edit_url_template", "own_templates_dir", "read_site_config",
           "require_material_theme"]


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
    from patternbook.themes import MATERIAL_THEMES, is_material_theme

    name = theme.get("name") if isinstance(theme, dict) else theme
    if not is_material_theme(name):
        known = " or ".join(f"{label} ('{key}')" for key, label in MATERIAL_THEMES.items())
        raise UsageError(f"Patternbook needs {known}, but the theme is {name!r}; "
                         "set 'theme: {name: material}' in mkdocs.yml")


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
