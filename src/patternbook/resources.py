"""Where the files Patternbook ships beside its code are: page templates, the
Material overrides and the JSON Schema of ``pattern.yaml``.

They have one copy in git, at the top of the repository (``templates/``,
``site_overrides/``, ``schema/``), so that maintainers find them where the
design puts them. The wheel carries them inside the package (hatchling's
``force-include``); an editable install of a checkout has no copy inside the
package and reads the checkout's, two folders up from this file.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "THEME_SCRIPTS",
    "THEME_STYLESHEETS",
    "packaged_pattern_schema",
    "packaged_templates",
    "packaged_theme_overrides",
]

PACKAGE_DIR = Path(__file__).resolve().parent

#: Files of the packaged theme overrides every page must link; the plugin adds
#: them to ``extra_css``/``extra_javascript`` when a site does not list them.
THEME_STYLESHEETS = ("assets/stylesheets/patternbook.css",)
THEME_SCRIPTS = ("assets/javascripts/patternbook.js",)


def _shipped(inside_package: str, in_checkout: str) -> Path:
    packaged = PACKAGE_DIR / inside_package
    if packaged.exists():
        return packaged
    checkout = PACKAGE_DIR.parents[1] / in_checkout
    if checkout.exists():
        return checkout
    # Neither a wheel nor a checkout: the installation itself is broken, not the user's input.
    raise FileNotFoundError(f"Patternbook's {inside_package} are missing from {PACKAGE_DIR}; reinstall patternbook")


def packaged_templates() -> Path:
    """The Jinja2 templates that turn a validated pattern into page Markdown."""
    return _shipped("templates", "templates")


def packaged_theme_overrides() -> Path:
    """Material overrides (partials, CSS, JavaScript), searched after a site's own ``custom_dir``."""
    return _shipped("site_overrides", "site_overrides")


def packaged_pattern_schema() -> Path:
    """The JSON Schema of ``pattern.yaml`` as committed (``schema/pattern.schema.json``)."""
    return _shipped("pattern.schema.json", "schema/pattern.schema.json")
