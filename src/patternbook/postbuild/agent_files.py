"""Files for assistants and tools: ``llms.txt`` and ``llms-full.txt`` at the site root, and each
bundle, of every kind, as plain Markdown (``patterns/<slug>.md``) and JSON
(``patterns/<slug>.json``) beside its page, which links them.

The page template marks the two links (``<a data-pb-format="md">``) without an
href; it is written here, relative to wherever the engine put the page, because
engines treat a relative href in raw HTML differently (MkDocs leaves it as
written, Zensical resolves it against the Markdown source and rewrites it)."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from patternbook.escaping import strict_json
from patternbook.pages.agent_documents import bundle_document, bundle_markdown, llms_txt
from patternbook.pages.llms_full import llms_full_files, llms_full_links

if TYPE_CHECKING:
    from patternbook.postbuild.context import PostBuildContext

__all__ = ["LLMS_PATH", "write_agent_files"]

LLMS_PATH = "llms.txt"


def write_agent_files(context: PostBuildContext) -> None:
    catalogue = context.build.catalogue
    if catalogue is None:
        return
    folder = context.site_dir / "patterns"
    folder.mkdir(parents=True, exist_ok=True)
    twins = {slug: bundle_markdown(bundle, catalogue) for slug, bundle in catalogue.entries.items()}
    for slug, bundle in catalogue.entries.items():
        (folder / f"{slug}.md").write_text(twins[slug], encoding="utf-8")
        # Read by programs, like catalogue.json: compact.
        (folder / f"{slug}.json").write_text(strict_json(bundle_document(bundle), compact=True), encoding="utf-8")
        _link_formats(context, slug)
    full_text = llms_full_files(catalogue, context.site_name, context.site_description, twins)
    for file in full_text:
        (context.site_dir / file.path).parent.mkdir(parents=True, exist_ok=True)
        (context.site_dir / file.path).write_text(file.text, encoding="utf-8")
    text = llms_txt(catalogue, context.site_name, context.site_description, context.address,
                    llms_full_links(full_text, context.address))
    (context.site_dir / LLMS_PATH).write_text(text, encoding="utf-8")


_FORMAT_LINK = re.compile(r'<a data-pb-format="(md|json)"')


def _link_formats(context: PostBuildContext, slug: str) -> None:
    path = context.page_path(slug)
    page = context.site_dir / (path + "index.html" if path.endswith("/") else path)
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8", errors="surrogateescape")
    folder = os.path.relpath(context.site_dir / "patterns", page.parent).replace(os.sep, "/")
    linked = _FORMAT_LINK.sub(lambda m: f'<a href="{folder}/{slug}.{m.group(1)}" data-pb-format="{m.group(1)}"', text)
    if linked != text:
        page.write_text(linked, encoding="utf-8", errors="surrogateescape")
