"""Reading bundles from disk safely, keeping a source position for every value."""

from patternbook.loader.bundle import (
    BUNDLE_FILES,
    CATALOGUE_FILE,
    PATTERN_FILE,
    SOLUTION_FILE,
    CatalogueSource,
    RawBundle,
    bundle_directories,
    find_catalogue_root,
    load_bundle,
    load_catalogue_source,
)
from patternbook.loader.markdown_document import MarkdownDocument, MarkdownSection, level_two_sections, parse_markdown
from patternbook.loader.source import MAX_FILE_BYTES, SourceText, display_path, read_source_text
from patternbook.loader.yaml_document import YamlDocument, parse_yaml

__all__ = [
    "BUNDLE_FILES",
    "CATALOGUE_FILE",
    "MAX_FILE_BYTES",
    "PATTERN_FILE",
    "SOLUTION_FILE",
    "CatalogueSource",
    "MarkdownDocument",
    "MarkdownSection",
    "RawBundle",
    "SourceText",
    "YamlDocument",
    "bundle_directories",
    "display_path",
    "find_catalogue_root",
    "level_two_sections",
    "load_bundle",
    "load_catalogue_source",
    "parse_markdown",
    "parse_yaml",
    "read_source_text",
]
