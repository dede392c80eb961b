"""``llms-full.txt``: every bundle of the library, of every kind, as Markdown in one
file, for assistants and tools that would rather read the library at once than
follow ``llms.txt`` link by link; and, when that file grows past
:data:`LLMS_FULL_SPLIT_BYTES`, one file per category as well, since a reader with
a bounded context (or a bounded download) can take a category where it cannot
take the whole.

Each bundle appears as exactly its Markdown twin (``patterns/<slug>.md``, from
:func:`~patternbook.pages.agent_documents.bundle_markdown`), which already escapes every
contributor text with :func:`~patternbook.escaping.markdown_text`; the only text
added here is the site's name and description and the category titles, escaped
the same way. Bundles are grouped by category (in ``catalogue.yaml``'s order),
each group kind by kind in the registry's order, titles alphabetical, so the file
reads like the site's navigation and changes only where the catalogue did.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from patternbook.catalogue import Catalogue
from patternbook.escaping import markdown_link_url, markdown_text
from patternbook.pages.agent_documents import FIVE_QUESTIONS, bundle_markdown
from patternbook.schema import Bundle

__all__ = [
    "LLMS_FULL_PATH",
    "LLMS_FULL_SPLIT_BYTES",
    "FullTextFile",
    "category_file_path",
    "llms_full_files",
    "llms_full_links",
]

LLMS_FULL_PATH = "llms-full.txt"

#: Above this size (UTF-8 bytes) the whole file is also written one category per file.
#: 4 MiB: about 300 bundles of today's ~13 KB twins, already more than a model's context
#: window takes at once, and past what some fetchers of ``llms-full.txt`` download whole.
LLMS_FULL_SPLIT_BYTES = 4 * 1024 * 1024

#: Between two bundles: a thematic break, with a blank line before it so that the line
#: above (a bundle's last paragraph) cannot turn into a setext heading.
_SEPARATOR = "\n---\n\n"


@dataclass(frozen=True)
class FullTextFile:
    """One file to write under the site root, with what ``llms.txt`` says about it."""

    path: str
    text: str
    title: str
    bundles: int

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


def category_file_path(category_id: str) -> str:
    """Where one category's part goes; category ids are kebab-case page ids, safe as file names."""
    return f"llms-full/{category_id}.txt"


def _groups(catalogue: Catalogue) -> list[tuple[str, str, list[Bundle]]]:
    """(category id, category title, its bundles in reading order), categories without bundles left out."""
    def reading_order(category_id: str) -> list[Bundle]:
        return [bundle for _, bundles in catalogue.by_kind()
                for bundle in sorted((b for b in bundles.values() if b.category == category_id),
                                     key=lambda b: (b.title.casefold(), b.slug))]

    groups = [(c.id, c.title, reading_order(c.id)) for c in catalogue.categories]
    # Validation resolves every bundle's category; should one ever not, it is still published, not dropped.
    known = {c.id for c in catalogue.categories}
    for stray in sorted({b.category for b in catalogue.entries.values()} - known):
        groups.append((stray, stray, reading_order(stray)))
    return [group for group in groups if group[2]]


def _document(heading: str, introduction: str, bundles: Sequence[Bundle], twins: Mapping[str, str]) -> str:
    head = f"{heading}\n\n{introduction}\n"
    return _SEPARATOR.join([head, *(twins[bundle.slug] for bundle in bundles)])


def llms_full_files(catalogue: Catalogue, site_name: str, description: str | None,
                    twins: Mapping[str, str] | None = None,
                    split_bytes: int = LLMS_FULL_SPLIT_BYTES) -> list[FullTextFile]:
    """``llms-full.txt``, then, when it is larger than ``split_bytes``, one file per category.

    ``twins`` are the bundles' Markdown twins by slug, when the caller has already rendered
    them (the post-build step writes them too; rendering costs milliseconds a bundle)."""
    if twins is None:
        twins = {slug: bundle_markdown(bundle, catalogue) for slug, bundle in catalogue.entries.items()}
    groups = _groups(catalogue)
    everything = [bundle for _, _, bundles in groups for bundle in bundles]
    site = markdown_text(site_name)
    about = markdown_text(description or "A catalogue of production architecture patterns.")
    whole = FullTextFile(LLMS_FULL_PATH, _document(
        f"# {site}: the whole library", (
            f"> {about}\n\n"
            f"Every pattern answers five questions: {FIVE_QUESTIONS}. Below is every bundle of the library, "
            "each exactly as its `patterns/<slug>.md`, grouped by category and separated by a horizontal rule; "
            "`llms.txt` lists them with one line each."),
        everything, twins), f"{site_name}: the whole library", len(everything))
    if whole.size <= split_bytes:
        return [whole]
    parts = [FullTextFile(category_file_path(category_id), _document(
        f"# {site}: {markdown_text(title)}",
        f"> Every bundle of the category {markdown_text(title)}, each exactly as its `patterns/<slug>.md`, "
        f"separated by a horizontal rule. The whole library is `{LLMS_FULL_PATH}`.",
        bundles, twins), title, len(bundles)) for category_id, title, bundles in groups]
    return [whole, *parts]


def llms_full_links(files: Sequence[FullTextFile], link: Callable[[str], str]) -> list[str]:
    """The lines ``llms.txt`` lists these files with (``link(path)`` gives each address)."""
    lines = []
    for file in files:
        what = "every bundle" if file.path == LLMS_FULL_PATH else "the bundles of this category"
        noun = "bundle" if file.bundles == 1 else "bundles"
        lines.append(f"- [{markdown_text(file.title)}]({markdown_link_url(link(file.path))}): {what} as Markdown "
                     f"in one file ({file.bundles} {noun}, {_size_text(file.size)})")
    return lines


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"
