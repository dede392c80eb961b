"""The preview's pieces that need no running server: folder sync and the MkDocs it relies on."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from patternbook.mkdocs_plugin.preview_session import (
    SUPPORTED_MKDOCS,
    PreviewSession,
    mkdocs_supports_one_page_builds,
    sync_folder,
    write_atomically,
)


def test_the_installed_mkdocs_is_one_whose_page_build_the_preview_calls() -> None:
    # _populate_page/_build_page are MkDocs internals: a lock update to another MkDocs must come with a
    # check of session.update_bundle (and a new SUPPORTED_MKDOCS), or every edit takes the slow path.
    assert metadata.version("mkdocs").startswith(SUPPORTED_MKDOCS)
    assert mkdocs_supports_one_page_builds()
    from mkdocs.commands import build

    assert callable(build._populate_page) and callable(build._build_page)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_sync_makes_the_target_hold_the_source_and_names_what_changed(tmp_path: Path) -> None:
    source, target = tmp_path / "build", tmp_path / "site"
    for folder, files in ((source, {"same.html": b"same", "changed.html": b"new", "a/added.svg": b"<svg/>"}),
                          (target, {"same.html": b"same", "changed.html": b"old", "gone/old.html": b"x"})):
        for name, data in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
    unchanged_inode = (target / "same.html").stat().st_ino
    expected = _tree(source)
    changed = sync_folder(source, target)
    assert _tree(target) == expected
    assert sorted(changed) == ["a/added.svg", "changed.html", "gone/old.html"]
    assert not (target / "gone").exists()
    assert (target / "same.html").stat().st_ino == unchanged_inode  # an unchanged file is left alone
    assert not source.exists()


def test_an_atomic_write_reports_whether_anything_changed(tmp_path: Path) -> None:
    page = tmp_path / "patterns" / "x" / "index.html"
    assert write_atomically(page, b"one")
    assert not write_atomically(page, b"one")
    assert write_atomically(page, b"two") and page.read_bytes() == b"two"
    assert [p.name for p in page.parent.iterdir()] == ["index.html"]


def test_another_engine_s_first_build_starts_before_any_preview_folder_exists(tmp_path: Path) -> None:
    """ProperDocs and Zensical previews start with a child build, not an in-process one,
    so the session must create its own working folder first."""
    import sys
    import time

    writes_a_page = ("import pathlib, sys; p = pathlib.Path(sys.argv[1]); p.mkdir(parents=True); "
                     "(p / 'index.html').write_text('ok')")
    session = PreviewSession(tmp_path / "mkdocs.yml", tmp_path / "not-yet" / "preview",
                             engine_command=[sys.executable, "-c", writes_a_page])
    try:
        session.start_background()
        changed = None
        for _ in range(300):
            changed = session.finish_background()
            if changed is not None:
                break
            time.sleep(0.05)
        assert changed == ["index.html"]
        assert (session.site_dir / "index.html").read_text() == "ok"
    finally:
        session.close()
    assert not (tmp_path / "not-yet" / "preview").exists()
