"""Files for assistants and tools: ``llms.txt`` at the site root, and each
pattern as plain Markdown (``patterns/<slug>.md``) and JSON (``patterns/<slug>.json``)
beside its page."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from patternbook.pages.agents import llms_txt, pattern_document, pattern_markdown

if TYPE_CHECKING:
    from patternbook.postbuild import PostBuildContext

__all__ = ["LLMS_PATH", "write_agent_files"]

LLMS_PATH = "llms.txt"


def write_agent_files(context: PostBuildContext) -> None:
    catalogue = context.build.catalogue
    if catalogue is None:
        return
    folder = context.site_dir / "patterns"
    folder.mkdir(parents=True, exist_ok=True)
    for slug, pattern in catalogue.patterns.items():
        (folder / f"{slug}.md").write_text(pattern_markdown(pattern, catalogue), encoding="utf-8")
        (folder / f"{slug}.json").write_text(
            json.dumps(pattern_document(pattern), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = llms_txt(catalogue, context.site_name, context.site_description, context.address)
    (context.site_dir / LLMS_PATH).write_text(text, encoding="utf-8")
