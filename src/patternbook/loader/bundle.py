"""Finding the catalogue and its bundles on disk, and reading each file once."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from patternbook.errors import Diagnostic, UsageError
from patternbook.loader.markdown_document import MarkdownDocument, parse_markdown
from patternbook.loader.source import display_path, read_source_text
from patternbook.loader.yaml_document import YamlDocument, parse_yaml
from patternbook.schema.text import RESERVED_PAGE_NAMES

__all__ = [
    "BUNDLE_FILES",
    "CATALOGUE_FILE",
    "PATTERN_FILE",
    "SOLUTION_FILE",
    "CatalogueSource",
    "RawBundle",
    "bundle_directories",
    "find_catalogue_root",
    "load_bundle",
    "load_catalogue_source",
]

CATALOGUE_FILE = "catalogue.yaml"
PATTERN_FILE = "pattern.yaml"
SOLUTION_FILE = "solution.md"
#: A bundle holds exactly these files. Anything else (scripts, HTML, images,
#: notes) is refused rather than ignored, so nothing unreviewed rides along.
BUNDLE_FILES = (PATTERN_FILE, SOLUTION_FILE)
#: Files allowed beside the bundles at the catalogue root.
ROOT_FILES = (CATALOGUE_FILE, "README.md")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class RawBundle:
    """A bundle's files as read, before validation."""

    slug: str
    directory: Path
    pattern: YamlDocument | None = None
    solution: MarkdownDocument | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class CatalogueSource:
    root: Path
    document: YamlDocument | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def find_catalogue_root(path: Path) -> Path:
    """The catalogue folder for a path given on the command line: the folder
    holding ``catalogue.yaml``, either ``path`` itself or a bundle's parent."""
    path = path.resolve() if not path.is_symlink() else path.absolute()
    if not path.exists():
        raise UsageError(f"{display_path(path)}: no such file or directory; run this in a catalogue repository "
                         "or name its patterns folder (start one with 'patternbook init')")
    if path.is_file():
        path = path.parent
    for candidate in (path, path.parent):
        if (candidate / CATALOGUE_FILE).is_file():
            return candidate
    raise UsageError(
        f"{display_path(path)}: not a catalogue (no {CATALOGUE_FILE}) nor a bundle inside one; name the folder "
        f"that holds {CATALOGUE_FILE} (start one with 'patternbook init')")


def bundle_directories(root: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """Every bundle folder under the catalogue root, in name order.

    Stray files at the root and folders whose name is not a slug are reported.
    """
    found: list[Path] = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            diagnostics.append(Diagnostic(display_path(entry), 1, 1, "PB005",
                                          "is a symlink; bundles must be real folders"))
        elif entry.is_dir():
            found.append(entry)
        elif entry.name not in ROOT_FILES:
            diagnostics.append(Diagnostic(
                display_path(entry), 1, 1, "PB006",
                f"unexpected file at the catalogue root; only {', '.join(ROOT_FILES)} and bundle folders belong here"))
    return found


def load_catalogue_source(root: Path) -> CatalogueSource:
    diagnostics: list[Diagnostic] = []
    source = read_source_text(root / CATALOGUE_FILE, diagnostics)
    document = parse_yaml(source, diagnostics) if source else None
    return CatalogueSource(root, document, diagnostics)


def load_bundle(directory: Path) -> RawBundle:
    """Read one bundle's files; every problem becomes a diagnostic."""
    bundle = RawBundle(directory.name, directory)
    shown = display_path(directory)
    problems = bundle.diagnostics
    if not _SLUG.match(directory.name) or len(directory.name) > 64:
        problems.append(Diagnostic(
            shown, 1, 1, "PB008",
            f"'{directory.name}' is not a slug: use lowercase letters, digits and single hyphens",
            field="slug"))
    elif directory.name in RESERVED_PAGE_NAMES:
        problems.append(Diagnostic(
            shown, 1, 1, "PB008",
            f"'{directory.name}' is reserved: a page of that name is the listing of its folder", field="slug"))
    present: set[str] = set()
    with os.scandir(directory) as entries:
        listing = sorted(entries, key=lambda e: e.name)
    for entry in listing:
        if entry.is_symlink():
            problems.append(Diagnostic(display_path(Path(entry.path)), 1, 1, "PB005",
                                       "is a symlink; commit the file itself"))
        elif entry.name in BUNDLE_FILES and entry.is_file(follow_symlinks=False):
            present.add(entry.name)
        else:
            kind = "folder" if entry.is_dir(follow_symlinks=False) else "file"
            problems.append(Diagnostic(
                display_path(Path(entry.path)), 1, 1, "PB006",
                f"unexpected {kind} in a bundle; a bundle holds only {' and '.join(BUNDLE_FILES)}"))
    symlinked = {e.name for e in listing if e.is_symlink()}
    for name in BUNDLE_FILES:
        if name not in present and name not in symlinked:
            problems.append(Diagnostic(display_path(directory / name), 1, 1, "PB007",
                                       f"the bundle has no {name}"))
    if PATTERN_FILE in present:
        source = read_source_text(directory / PATTERN_FILE, problems)
        if source:
            bundle.pattern = parse_yaml(source, problems)
    if SOLUTION_FILE in present:
        source = read_source_text(directory / SOLUTION_FILE, problems)
        if source:
            bundle.solution = parse_markdown(source)
    return bundle
