"""The themes Patternbook's site overrides are written for, declared once.

The packaged overrides (``site_overrides/``) are Material for MkDocs partials and
blocks. MaterialX (``mkdocs-materialx``, the ``materialx`` extra) is a maintained
fork of Material 9.7 for ProperDocs with the same templates, blocks and partials,
so the overrides fit it as they are; Material itself is inactive and ends on
5 May 2027. Every check of "is this a theme we can style" and every search for
the theme's own templates (the Content-Security-Policy reads them for the inline
scripts they write) starts here.

Nothing here imports a theme: the template folders are found through the
``mkdocs.themes`` / ``properdocs.themes`` entry points the theme packages
declare, which say where their templates are (MaterialX's live in a package
named ``material``, like Material's, so the two cannot share an environment).
"""

from __future__ import annotations

import importlib.util
from importlib.metadata import entry_points
from pathlib import Path

__all__ = ["ENGINE_TEMPLATE_PACKAGES", "MATERIAL_THEMES", "is_material_theme", "theme_template_dirs"]

#: Theme names (``theme.name`` in ``mkdocs.yml``) whose templates the packaged overrides extend,
#: with the name a reader knows them by.
MATERIAL_THEMES: dict[str, str] = {
    "material": "Material for MkDocs",
    "materialx": "MaterialX",
}

#: Engines that render with their own copy of Material's templates rather than a theme package.
ENGINE_TEMPLATE_PACKAGES = ("zensical",)

_THEME_ENTRY_POINT_GROUPS = ("mkdocs.themes", "properdocs.themes")


def is_material_theme(name: object) -> bool:
    return isinstance(name, str) and name in MATERIAL_THEMES


def _package_folder(module: str) -> Path | None:
    """Where ``module`` (``package.sub``) is on disk, found without importing it."""
    top, _, rest = module.partition(".")
    spec = importlib.util.find_spec(top)
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(location).joinpath(*rest.split(".")) if rest else Path(location)
        if folder.is_dir():
            return folder
    return None


def theme_template_dirs() -> tuple[Path, ...]:
    """The template folders of every installed Material theme and engine copy, each once, in a stable order."""
    folders: list[Path] = []
    for group in _THEME_ENTRY_POINT_GROUPS:
        for entry in sorted(entry_points(group=group), key=lambda point: point.name):
            if entry.name in MATERIAL_THEMES:
                folders.append(_package_folder(entry.value))
    folders += [_package_folder(package) for package in ENGINE_TEMPLATE_PACKAGES]
    folders = [folder / "templates" if (folder / "templates").is_dir() and folder.name != "templates" else folder
               for folder in folders if folder is not None]
    return tuple(dict.fromkeys(folder.resolve() for folder in folders))
