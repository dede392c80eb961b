"""The MkDocs plugin: the only package that imports MkDocs."""

from patternbook.mkdocs_plugin.plugin import PatternbookPlugin

__all__ = ["PatternbookPlugin"]
