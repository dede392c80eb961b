"""Markdown prose of a bundle, split into its ``##`` sections with line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from patternbook.loader.source import SourceText

__all__ = ["MarkdownDocument", "MarkdownSection", "level_two_sections", "parse_markdown"]

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True)
class MarkdownSection:
    title: str
    level: int
    line: int
    body: str


@dataclass(frozen=True)
class MarkdownDocument:
    source: SourceText
    sections: tuple[MarkdownSection, ...]

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def shown_as(self) -> str:
        return self.source.shown_as

    def section(self, title: str) -> MarkdownSection | None:
        wanted = title.casefold()
        return next((s for s in self.sections if s.title.casefold() == wanted), None)

    def code_lines(self) -> frozenset[int]:
        """1-based numbers of lines inside fenced code blocks."""
        inside: set[int] = set()
        fence: str | None = None
        for number, line in enumerate(self.text.splitlines(), start=1):
            match = _FENCE.match(line)
            if fence is None and match:
                fence = match.group(1)[0] * 3
                inside.add(number)
            elif fence is not None:
                inside.add(number)
                if line.strip().startswith(fence):
                    fence = None
        return frozenset(inside)


def parse_markdown(source: SourceText) -> MarkdownDocument:
    sections: list[MarkdownSection] = []
    current: tuple[str, int, int] | None = None
    body: list[str] = []
    fence: str | None = None
    for number, line in enumerate(source.text.splitlines(), start=1):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)[0] * 3
            fence = None if fence == marker else (fence or marker)
        heading = None if fence else _HEADING.match(line)
        if heading and not fence_match:
            if current:
                sections.append(MarkdownSection(current[0], current[1], current[2], "\n".join(body).strip()))
            current = (heading.group(2).strip(), len(heading.group(1)), number)
            body = []
        else:
            body.append(line)
    if current:
        sections.append(MarkdownSection(current[0], current[1], current[2], "\n".join(body).strip()))
    return MarkdownDocument(source, tuple(sections))


def level_two_sections(markdown_text: str) -> dict[str, str]:
    """The ``##`` sections of a Markdown text, title as written → body (deeper headings
    and their text included), stripped. Headings inside fenced code are text: the one
    splitter for pages and for ``patternbook diff``."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for section in parse_markdown(SourceText(Path("text.md"), "text.md", markdown_text)).sections:
        if section.level == 2:
            current = sections.setdefault(section.title, [])
            current.append(section.body)
        elif current is not None and section.level > 2:
            current.append(f"{'#' * section.level} {section.title}\n\n{section.body}")
    return {title: "\n\n".join(part for part in parts if part).strip() for title, parts in sections.items()}
