"""The Material themes Patternbook styles are named once (:mod:`patternbook.themes`):
MaterialX is accepted wherever Material is, and its templates count as the theme's own."""

from __future__ import annotations

import pytest

from patternbook.errors import UsageError
from patternbook.pipeline.site_config import require_material_theme
from patternbook.themes import MATERIAL_THEMES, theme_template_dirs


@pytest.mark.parametrize("theme", ["material", "materialx", {"name": "materialx", "custom_dir": "overrides"}])
def test_material_and_materialx_are_accepted(theme: object) -> None:
    require_material_theme(theme)


@pytest.mark.parametrize("theme", ["readthedocs", None, {"name": "mkdocs"}, ["material"]])
def test_another_theme_is_a_usage_error_naming_both(theme: object) -> None:
    with pytest.raises(UsageError) as raised:
        require_material_theme(theme)
    for label in MATERIAL_THEMES.values():
        assert label in str(raised.value)


def test_each_installed_theme_contributes_its_templates_once() -> None:
    folders = theme_template_dirs()
    assert len(folders) == len(set(folders))
    assert all((folder / "base.html").is_file() or (folder / "main.html").is_file() for folder in folders), folders
    # Material (or MaterialX, which installs the same package name) and Zensical's copy.
    assert {folder.parent.name for folder in folders} >= {"material", "zensical"}
