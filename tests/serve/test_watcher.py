"""What a file event touches: one bundle (its page is re-rendered alone) or everything."""

from __future__ import annotations

from pathlib import Path

from patternbook.serve import EVERYTHING, SourceWatcher


def test_events_name_the_bundle_they_touch_or_everything(tmp_path: Path) -> None:
    for folder in ("patterns/bulkhead", "templates", "docs", "site_overrides", ".cache/patternbook/preview-1"):
        (tmp_path / folder).mkdir(parents=True)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ntheme:\n  name: material\n  custom_dir: site_overrides\n"
                      "plugins:\n  - patternbook\n", encoding="utf-8")
    watcher = SourceWatcher.for_site(config, tmp_path / ".cache" / "patternbook" / "preview-1")
    touched = watcher.touched
    assert touched(tmp_path / "patterns" / "bulkhead" / "pattern.yaml") == "bulkhead"
    assert touched(tmp_path / "patterns" / "bulkhead" / "solution.md") == "bulkhead"
    assert touched(tmp_path / "patterns" / "catalogue.yaml") == EVERYTHING
    assert touched(tmp_path / "patterns" / "new-bundle") == EVERYTHING  # a bundle added or removed
    for source in ("templates/pattern.md.j2", "docs/about.md", "site_overrides/main.html", "mkdocs.yml"):
        assert touched(tmp_path / source) == EVERYTHING, source
    # Editors' swap files, other files beside mkdocs.yml and the preview's own output are not sources.
    assert touched(tmp_path / "patterns" / "bulkhead" / ".pattern.yaml.swp") is None
    assert touched(tmp_path / "patterns" / "bulkhead" / "pattern.yaml~") is None
    assert touched(tmp_path / "README.md") is None
    assert touched(tmp_path / ".cache" / "patternbook" / "preview-1" / "site" / "index.html") is None
