"""Options of the ``patternbook`` MkDocs plugin. Paths are relative to ``mkdocs.yml``."""

from mkdocs.config import config_options as option
from mkdocs.config.base import Config

__all__ = ["PatternbookConfig"]


class PatternbookConfig(Config):
    enabled = option.Type(bool, default=True)
    """Turn the plugin off without removing it from mkdocs.yml."""
    patterns_dir = option.Type(str, default="patterns")
    """The catalogue folder: catalogue.yaml and one bundle folder per pattern."""
    templates_dir = option.Optional(option.Type(str))
    """The catalogue's own Jinja2 templates; each file replaces the packaged template of the
    same name. Unset: ``templates/`` when it exists, otherwise the packaged templates only."""
    cache_dir = option.Type(str, default=".cache/patternbook")
    """Rendered diagrams, keyed by a hash of every input; safe to delete."""
    edit_url_template = option.Optional(option.Type(str))
    """Link for "Edit this pattern"; ``{slug}`` is replaced by the pattern's slug. Unset: built
    from the site's ``repo_url`` and ``edit_uri``, and no link without them."""
    preview_pull_request = option.Optional(option.Type(int))
    """Build a preview of this pull request: ``noindex`` and a visible banner on every page.
    The ``PATTERNBOOK_PREVIEW_PR`` environment variable does the same without editing mkdocs.yml."""
