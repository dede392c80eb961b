"""``build_library``: diagrams drawn in the background while pages are built; ``rebuild_bundle``:
the one page of an edited bundle, exactly as a full build plans it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from patternbook.pipeline.build import LibraryBuild, LibrarySettings, build_library, rebuild_bundle
from tests.conftest import FIXED_TODAY, PROJECT

EPOCH = str(int(datetime.datetime.fromisoformat(FIXED_TODAY + "T12:00:00+00:00").timestamp()))


@pytest.fixture
def settings(catalogue_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LibrarySettings:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return LibrarySettings(catalogue_dir, PROJECT / "templates", tmp_path / "cache",
                           edit_url_template="https://example.test/edit/{slug}", tolerate_invalid=True)


def _page(build: LibraryBuild, slug: str) -> str:
    return next(page.content for page in build.plan.pages if page.path == f"patterns/{slug}.md")


def _set_summary(bundle: Path, summary: str) -> None:
    lines = bundle.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[index] = f"summary: {summary}\n"
    bundle.write_text("".join(lines), encoding="utf-8")


def test_an_unchanged_bundle_renders_as_the_full_build_does(settings: LibrarySettings) -> None:
    build = build_library(settings)
    assert build.catalogue is not None and build.catalogue.entries
    for slug in build.catalogue.entries:
        update = rebuild_bundle(settings, build, slug)
        assert update.page.content == _page(build, slug)
        assert update.assets == {path: source for path, source in build.assets.items()
                                 if path.startswith(f"assets/diagrams/{slug}--")}


def test_an_edited_bundle_renders_as_a_fresh_full_build_does(settings: LibrarySettings) -> None:
    build = build_library(settings)
    slug = next(iter(build.catalogue.patterns))
    _set_summary(settings.patterns_dir / slug / "pattern.yaml", '"A summary written after the build, long enough"')
    update = rebuild_bundle(settings, build, slug)
    assert "A summary written after the build, long enough" in update.page.content
    assert update.page.content == _page(build_library(settings), slug)
    assert update.catalogue.patterns[slug].summary.startswith("A summary written after the build")
    assert build.catalogue.patterns[slug].summary != update.catalogue.patterns[slug].summary  # the build is kept


def test_a_broken_bundle_gets_the_page_of_its_diagnostics(settings: LibrarySettings) -> None:
    build = build_library(settings)
    slug = next(iter(build.catalogue.patterns))
    bundle = settings.patterns_dir / slug / "pattern.yaml"
    _set_summary(bundle, '"<b>short</b>"')
    update = rebuild_bundle(settings, build, slug)
    assert slug not in update.catalogue.entries
    assert any(d.code == "PB204" and d.path.endswith(f"{slug}/pattern.yaml") for d in update.diagnostics)
    assert "does not validate" in update.page.content and "PB204" in update.page.content
    assert update.page.content == _page(build_library(settings), slug)
    assert update.assets == {}


def _forking_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    from patternbook.diagrams import render

    monkeypatch.setattr(render, "FORK_FROM", 1)
    # pytest-xdist's worker keeps a thread of its own; the build this stands for has none.
    monkeypatch.setattr(render.threading, "active_count", lambda: 1)


def test_diagrams_left_in_the_background_are_the_files_a_plain_build_makes(
        settings: LibrarySettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    plain = build_library(dataclasses.replace(settings, cache_dir=tmp_path / "plain"))
    assert plain.assets_pending is None and all(path.is_file() for path in plain.assets.values())
    _forking_allowed(monkeypatch)
    background = build_library(settings, diagrams_in_background=True)
    assert background.assets_pending is not None  # returned with the workers still drawing
    assert background.plan.pages == plain.plan.pages
    assert background.assets.keys() == plain.assets.keys()
    background.assets_pending.wait()
    for path, source in background.assets.items():
        assert source.read_bytes() == plain.assets[path].read_bytes(), path
    # Warm, nothing is left running: the files are there on return.
    again = build_library(settings, diagrams_in_background=True)
    assert again.assets_pending is None and again.assets == background.assets


def test_a_diagram_that_fails_in_the_background_fails_the_wait_with_its_name(
        settings: LibrarySettings, monkeypatch: pytest.MonkeyPatch) -> None:
    from patternbook.diagrams import graphviz_dot, render

    _forking_allowed(monkeypatch)

    drawn = render.render_with_layout

    def broken(dot: str, graph: graphviz_dot.DotGraph, *arguments: object, **options: object) -> object:
        if graph.name == "relations":  # the relation graphs are drawn here, before the pages
            return drawn(dot, graph, *arguments, **options)
        raise graphviz_dot.GraphvizRenderError(f"{graph.name}: Graphviz dot failed: on purpose")

    monkeypatch.setattr(render, "render_with_layout", broken)  # the forked workers inherit it
    build = build_library(settings, diagrams_in_background=True)
    assert build.assets_pending is not None
    with pytest.raises(graphviz_dot.GraphvizRenderError, match="on purpose"):
        build.assets_pending.wait()
    assert not build.assets_pending.running
