"""A catalogue outside this repository: `theme: material` plus the plugin is a
complete site, and a catalogue's own file replaces only the packaged file of the
same name (templates and theme overrides alike)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from patternbook.pipeline.site_config import edit_url_template
from patternbook.scaffold import write_starter_catalogue
from tests.conftest import mkdocs_build

EXAMPLE = "retry-with-backoff-and-jitter"


@pytest.mark.site
def test_own_files_replace_packaged_ones_one_by_one(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    write_starter_catalogue(catalogue, site_name="Overrides", repo_url="https://gitlab.com/acme/patterns",
                            today="2026-11-01")
    config_file = catalogue / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text())
    config["theme"]["custom_dir"] = "theme"
    config["theme"]["features"].append("content.action.edit")
    config["edit_uri"] = "-/edit/trunk/docs/"
    config_file.write_text(yaml.safe_dump(config))
    (catalogue / "templates").mkdir()
    (catalogue / "templates" / "home.md.j2").write_text("# Our own home\n\n{{ pattern_count }} patterns so far.\n")
    stylesheet = catalogue / "theme" / "assets" / "stylesheets" / "patternbook.css"
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text(".md-typeset { letter-spacing: 0.01em; }\n")

    site = tmp_path / "site"
    result = mkdocs_build(catalogue, site, env={"SOURCE_DATE_EPOCH": "1793577600"})  # 2026-11-01
    assert result.returncode == 0, result.stderr[-3000:]

    home = (site / "index.html").read_text()
    assert "Our own home" in home and "1 patterns so far." in home
    page = (site / "patterns" / EXAMPLE / "index.html").read_text()
    assert ">Failure edges" in page and "Breaks first" in page  # the packaged pattern template
    assert (site / "assets" / "stylesheets" / "patternbook.css").read_text() == stylesheet.read_text()
    assert (site / "assets" / "javascripts" / "patternbook.js").stat().st_size > 0  # packaged, not overridden
    assert 'data-pb-search-open' in page  # the packaged header partial, with the Pagefind search button
    edit = f"https://gitlab.com/acme/patterns/-/edit/trunk/patterns/{EXAMPLE}/pattern.yaml"
    assert f'class="pb-edit" href="{edit}"' in page
    # Material's own edit button points at the bundle too, not at a generated docs/patterns/<slug>.md.
    assert f'href="{edit}" title="Edit this page"' in page
    assert "/docs/patterns/" not in page
    assert 'data-md-component="source"' not in page  # no request to the repository host's API


@pytest.mark.parametrize(("repo_url", "edit_uri", "expected"), [
    ("https://github.com/org/lib", "edit/main/docs/", "https://github.com/org/lib/edit/main/patterns/{slug}/pattern.yaml"),
    ("https://github.com/org/lib/", "/edit/main/docs", "https://github.com/org/lib/edit/main/patterns/{slug}/pattern.yaml"),
    ("https://github.com/org/lib", None, "https://github.com/org/lib/edit/master/patterns/{slug}/pattern.yaml"),
    ("https://git.example.org/org/lib", "https://git.example.org/org/lib/_edit/docs/",
     "https://git.example.org/org/lib/_edit/patterns/{slug}/pattern.yaml"),
    ("https://git.example.org/org/lib", None, None),
    (None, "edit/main/docs/", None),
    ("https://github.com/org/lib", "", None),
])
def test_edit_links_come_from_the_sites_repository(repo_url: str | None, edit_uri: str | None,
                                                   expected: str | None, tmp_path: Path) -> None:
    assert edit_url_template(repo_url, edit_uri, tmp_path / "docs", tmp_path / "patterns") == expected


def test_edit_links_follow_a_moved_catalogue_folder(tmp_path: Path) -> None:
    assert edit_url_template("https://github.com/org/lib", "edit/main/site/docs/", tmp_path / "site" / "docs",
                             tmp_path / "content" / "patterns") == (
        "https://github.com/org/lib/edit/main/content/patterns/{slug}/pattern.yaml")
