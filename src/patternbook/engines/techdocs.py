"""``patternbook export --techdocs``: the library as a folder Backstage's TechDocs builds.

TechDocs runs ``mkdocs build`` with the ``techdocs-core`` plugin over a folder holding
``mkdocs.yml`` and ``docs/``, found through a catalogue entity's
``backstage.io/techdocs-ref: dir:.`` annotation. Its builder (the TechDocs container or
``techdocs-cli``) has no Patternbook installed, and techdocs-core decides the rest itself:
the Material theme with its palette cleared, MkDocs' own search, the monorepo and
GitHub-admonition plugins and its own list of Markdown extensions. Backstage shows the
pages inside its own reader, which drops the site's scripts. So this export writes:

* ``docs/``: every generated page and diagram file (:func:`patternbook.pipeline.export.export_docs`),
  each page's text passed through :func:`patternbook.escaping.techdocs_page_body`, because
  techdocs-core's preprocessors would read a contributor's ``{% dot …`` or
  ```` ```uml ```` as a directive; pages that need a plugin TechDocs does not run (Material's
  tags index) are left out; Patternbook's stylesheet as ``extra_css`` (pages read without it);
* ``mkdocs.yml``: ``plugins: [techdocs-core]`` and nothing of Patternbook's: no plugin, no
  Pagefind, no theme overrides, no scripts;
* ``catalog-info.yaml``: a ``Component`` entity whose docs are this folder.

The post-build stage (search index, feed, CSP) is not run: Backstage has its own search
and serves the pages itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from patternbook.errors import UsageError
from patternbook.escaping import techdocs_page_body, yaml_string
from patternbook.pipeline.build import LibraryBuild
from patternbook.pipeline.export import EXPORT_MARKER, export_docs, exported_nav
from patternbook.pipeline.site_config import SiteConfig

if TYPE_CHECKING:
    from patternbook.pages import GeneratedPage

__all__ = ["DEFAULT_OWNER", "TECHDOCS_PLUGIN", "backstage_entity_name", "export_techdocs"]

TECHDOCS_PLUGIN = "techdocs-core"
#: The owner written when none is given: Backstage accepts any entity reference here and
#: shows an unresolved one as is; ``--owner`` names the real team.
DEFAULT_OWNER = "unknown"
#: Pages that only a Material plugin TechDocs does not run fills in: left out of the export.
_NEEDS_MATERIAL_TAGS = "<!-- material/tags -->"
#: Backstage's rule for ``metadata.name``: 1-63 characters, runs of letters and digits
#: joined by single ``-``, ``_`` or ``.``.
_ENTITY_NAME = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
_ENTITY_NAME_LIMIT = 63
#: An entity reference for ``spec.owner``: ``[kind:][namespace/]name``.
_ENTITY_REFERENCE = re.compile(r"(?:[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*:)?"
                               r"(?:[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*/)?[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")


def backstage_entity_name(site_name: str) -> str:
    """A valid Backstage ``metadata.name`` from the site's name: accents dropped, every
    other run of characters that are not letters or digits one ``-``, lower case, at most
    63 characters; ``patternbook`` when nothing is left."""
    ascii_name = unicodedata.normalize("NFKD", site_name).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_ENTITY_NAME_LIMIT].rstrip("-")
    return name if _ENTITY_NAME.fullmatch(name) else "patternbook"


def export_techdocs(site: SiteConfig, target: Path, progress: Callable[[int, int], None] | None = None, *,
                    owner: str = DEFAULT_OWNER) -> LibraryBuild:
    """Write the library into ``target`` for Backstage's TechDocs (see the module's docstring).

    Raises :class:`UsageError` for an owner that is not an entity reference or a
    ``target`` that holds anything but an earlier export, and
    :class:`~patternbook.errors.ValidationFailed` for an invalid catalogue.
    """
    import shutil

    import yaml

    from patternbook.resources import THEME_STYLESHEETS, packaged_theme_overrides

    if not _ENTITY_REFERENCE.fullmatch(owner):
        raise UsageError(f"--owner '{owner}' is not a Backstage entity reference; give one such as "
                         "'group:default/platform-team' or 'platform-team'")
    build = export_docs(site, target, progress, directory_urls=True, page_body=techdocs_page_body,
                        include_page=_builds_without_material_plugins)
    left_out = frozenset(page.path for page in build.plan.pages if not _builds_without_material_plugins(page))
    for stylesheet in THEME_STYLESHEETS:
        destination = target / "docs" / stylesheet
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packaged_theme_overrides() / stylesheet, destination)

    raw = site.raw
    site_name = str(raw.get("site_name") or "Patternbook")
    config: dict = {"site_name": site_name}
    if raw.get("site_description"):
        config["site_description"] = str(raw["site_description"])
    if raw.get("repo_url"):
        config["repo_url"] = str(raw["repo_url"])
        # Material's "edit" button would point at docs/ in the repository, where these generated
        # pages do not exist; each pattern page has its own "Edit this pattern" link.
        config["edit_uri"] = ""
    config |= {"docs_dir": "docs", "use_directory_urls": True, "theme": {"name": "material"},
               "plugins": [TECHDOCS_PLUGIN], "extra_css": list(THEME_STYLESHEETS),
               "nav": exported_nav(build, directory_urls=True, nav=_without_pages(build.plan.nav, left_out))}
    if isinstance(raw.get("validation"), dict):
        config["validation"] = raw["validation"]
    (target / "mkdocs.yml").write_text(
        f"{EXPORT_MARKER} --techdocs: Backstage's TechDocs builds it with {TECHDOCS_PLUGIN}, "
        "no Patternbook plugin needed.\n" + yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
        encoding="utf-8")
    (target / "catalog-info.yaml").write_text(_catalog_info(site_name, config.get("site_description"), owner),
                                              encoding="utf-8")
    return build


def _builds_without_material_plugins(page: GeneratedPage) -> bool:
    return _NEEDS_MATERIAL_TAGS not in page.content


def _without_pages(nav: object, left_out: frozenset[str]) -> object:
    """``nav`` without the entries of the pages ``left_out``, and without sections left empty."""
    if not isinstance(nav, list):
        return nav
    def left(entry: object) -> bool:
        return isinstance(entry, str) and entry in left_out

    kept = []
    for item in nav:
        if isinstance(item, dict):
            item = {key: _without_pages(value, left_out) for key, value in item.items() if not left(value)}
        if item and not left(item) and [] not in (item.values() if isinstance(item, dict) else ()):
            kept.append(item)
    return kept


def _catalog_info(site_name: str, description: str | None, owner: str) -> str:
    """The Backstage entity whose TechDocs are this folder: names derived and checked,
    contributor-chosen text only as double-quoted YAML scalars."""
    lines = [
        f"{EXPORT_MARKER} --techdocs: register this file in Backstage's catalogue.",
        "apiVersion: backstage.io/v1alpha1",
        "kind: Component",
        "metadata:",
        f"  name: {backstage_entity_name(site_name)}",
        f"  title: {yaml_string(site_name)}",
    ]
    if description:
        lines.append(f"  description: {yaml_string(description)}")
    lines += [
        "  annotations:",
        "    backstage.io/techdocs-ref: dir:.",
        "spec:",
        "  type: documentation",
        "  lifecycle: production",
        f"  owner: {yaml_string(owner)}",
    ]
    return "\n".join(lines) + "\n"
