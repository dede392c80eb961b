"""``patternbook export``: the library written as plain files (``mkdocs.yml`` without the
Patternbook plugin, ``docs/`` and the theme overrides) that any engine reading
``mkdocs.yml`` builds as is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from patternbook.errors import UsageError
from patternbook.pages import GeneratedPage
from patternbook.pipeline.build import LibraryBuild, build_library
from patternbook.pipeline.site_config import SiteConfig, require_material_theme

__all__ = ["EXPORT_MARKER", "export_docs", "export_library", "exported_nav"]

EXPORT_MARKER = "# Exported by `patternbook export`"


def export_library(site: SiteConfig, target: Path, progress: Callable[[int, int], None] | None = None) -> LibraryBuild:
    """Write the library as plain files: ``target/mkdocs.yml`` (without the
    Patternbook plugin), the same settings as ``target/zensical.toml``,
    ``target/docs/`` and the theme overrides. Any engine that reads ``mkdocs.yml``
    (MkDocs, ProperDocs, Zensical) builds it as is; Zensical also from ``zensical.toml`` alone."""
    import shutil

    import yaml

    require_material_theme(site.raw.get("theme"))
    root = site.path.resolve().parent
    directory_urls = site.raw.get("use_directory_urls", True) is not False
    build = export_docs(site, target, progress, directory_urls=directory_urls)

    config = {key: value for key, value in site.raw.items() if key not in ("docs_dir", "site_dir", "nav")}
    config["docs_dir"] = "docs"
    config["nav"] = exported_nav(build, directory_urls)
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
    # The same settings in Zensical's own format, for Zensical releases past mkdocs.yml.
    from patternbook.zensical_toml import ZENSICAL_FILE, zensical_toml

    (target / ZENSICAL_FILE).write_text(zensical_toml(config, EXPORT_MARKER.removeprefix("# ") + ": Zensical's own "
                                                      "configuration, the same site as mkdocs.yml."), encoding="utf-8")
    return build


def export_docs(site: SiteConfig, target: Path, progress: Callable[[int, int], None] | None = None, *,
                directory_urls: bool = True, page_body: Callable[[str], str] | None = None,
                include_page: Callable[[GeneratedPage], bool] | None = None) -> LibraryBuild:
    """Validate and render the library into ``target/docs/`` (the site's own docs folder,
    every generated page and every diagram file), replacing ``target`` only when it is an
    earlier export. The caller writes ``target/mkdocs.yml``, starting with :data:`EXPORT_MARKER`.
    ``page_body`` rewrites each generated Markdown page after its front matter, for an engine that
    reads page text differently (the site's own hand-written pages are copied as they are);
    a page ``include_page`` refuses is not written (name it to :func:`exported_nav`)."""
    import shutil

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
    for page in build.plan.pages:
        if include_page is not None and not include_page(page):
            continue
        destination = docs / _exported_page_path(page.path, directory_urls)
        destination.parent.mkdir(parents=True, exist_ok=True)
        markdown = page_body is not None and page.path.endswith(".md")
        destination.write_text(_rewritten_body(page.content, page_body) if markdown else page.content,
                               encoding="utf-8")
    for path, source in build.assets.items():
        destination = docs / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    return build


def exported_nav(build: LibraryBuild, directory_urls: bool = True, nav: object = None) -> object:
    """``nav`` (default: the build's navigation) with each generated page at the path
    :func:`export_docs` wrote it to."""
    return _exported_nav(build.plan.nav if nav is None else nav, {page.path for page in build.plan.pages},
                         directory_urls)


def _rewritten_body(content: str, rewrite: Callable[[str], str]) -> str:
    """``content`` with ``rewrite`` applied to everything after its front matter (which
    MkDocs reads as YAML, not Markdown)."""
    if content.startswith("---\n"):
        end = content.find("\n---\n", 4)
        if end != -1:
            return content[:end + 5] + rewrite(content[end + 5:])
    return rewrite(content)


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
