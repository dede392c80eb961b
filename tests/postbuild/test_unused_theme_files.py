"""Material's lunr search, its worker and source maps leave the site; what pages load stays."""

from __future__ import annotations

from pathlib import Path

from patternbook.postbuild.context import PostBuildContext
from patternbook.postbuild.steps import POST_BUILD_STEPS
from patternbook.postbuild.unused_theme_files import LUNR_INDEX, remove_unused_theme_files

BUNDLE = "assets/javascripts/bundle.a5f9d56c.min.js"


def _site(root: Path) -> Path:
    files = {
        BUNDLE: "!function(){}();\n//# sourceMappingURL=bundle.a5f9d56c.min.js.map\n",
        BUNDLE + ".map": "{}",
        "assets/javascripts/lunr/min/lunr.de.min.js": "lunr",
        "assets/javascripts/lunr/wordcut.js": "wordcut",
        "assets/javascripts/workers/search.a7633da7.min.js": "worker\n//# sourceMappingURL=search.a7633da7.min.js.map",
        "assets/javascripts/workers/search.a7633da7.min.js.map": "{}",
        "assets/javascripts/patternbook.js": "// mentions sourceMappingURL= in passing, not as a comment\nrun();\n",
        "assets/stylesheets/main.57a0d79d.min.css": "a{}\n/*# sourceMappingURL=main.57a0d79d.min.css.map */",
        "assets/stylesheets/main.57a0d79d.min.css.map": "{}",
        "index.html": "<html></html>",
    }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_lunr_worker_and_maps_go_and_the_comments_naming_maps_with_them(tmp_path: Path) -> None:
    site = _site(tmp_path)
    remove_unused_theme_files(PostBuildContext(site, build=None))
    assert _files(site) == {BUNDLE, "assets/javascripts/patternbook.js", "assets/stylesheets/main.57a0d79d.min.css",
                            "index.html"}
    assert (site / BUNDLE).read_text() == "!function(){}();\n"
    assert (site / "assets/stylesheets/main.57a0d79d.min.css").read_text() == "a{}"
    assert "sourceMappingURL=" in (site / "assets/javascripts/patternbook.js").read_text()
    assert not (site / "assets/javascripts/lunr").exists() and not (site / "assets/javascripts/workers").exists()


def test_a_site_with_materials_search_keeps_lunr_and_its_worker(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / LUNR_INDEX).parent.mkdir()
    (site / LUNR_INDEX).write_text("{}")
    remove_unused_theme_files(PostBuildContext(site, build=None))
    kept = _files(site)
    assert {"assets/javascripts/lunr/wordcut.js", "assets/javascripts/workers/search.a7633da7.min.js"} <= kept
    assert not [path for path in kept if path.endswith(".map")]


def test_the_step_runs_before_the_policy_is_written() -> None:
    assert remove_unused_theme_files in POST_BUILD_STEPS[:-1]
