"""Rules for contributor Markdown (``solution.md``).

Decision: raw HTML in contributor Markdown is an *error*, not something we
escape silently. A contributor learns at once, with a position, and the page
never depends on a sanitiser having caught everything. Links and images may
only point at https, mailto or relative URLs within the site.
"""

from __future__ import annotations

import html
import re
import threading
from html.parser import HTMLParser
from typing import Any

from patternbook.errors import Diagnostic
from patternbook.loader import MarkdownDocument
from patternbook.schema import SCAFFOLD_MARKER

__all__ = ["PROSE_MARKDOWN_EXTENSIONS", "REQUIRED_ANTI_PATTERN_SECTIONS", "REQUIRED_SOLUTION_SECTIONS",
           "check_solution", "prose_markup", "url_is_allowed"]

#: The only Python-Markdown extensions contributor prose is rendered with; the
#: pages layer renders with exactly these, and validation parses with them too.
PROSE_MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "sane_lists")

#: ``solution.md`` must explain these three things, each under its own ``##`` heading.
REQUIRED_SOLUTION_SECTIONS = ("Components", "Flow", "Boundaries")
#: An anti-pattern's ``solution.md`` says what the shape looks like and how to leave it.
REQUIRED_ANTI_PATTERN_SECTIONS = ("Shape", "Way out")
MIN_SECTION_WORDS = 25

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_RAW_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|!--|\?|!\[CDATA\[|![A-Za-z])")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_SNIPPET = re.compile(r"-{1,3}8<-{1,3}|;-{1,3}8<-{1,3}")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_ALLOWED_SCHEMES = {"https", "mailto"}


def url_is_allowed(url: str) -> bool:
    """https, mailto, or a relative URL inside the site.

    Entities are decoded and whitespace and control characters dropped first,
    as a browser would, so ``java&#115;cript:`` or ``JaVa\tScRiPt:`` are caught.
    """
    decoded = html.unescape(url)
    squeezed = "".join(ch for ch in decoded if not ch.isspace() and ord(ch) >= 32)
    if squeezed.startswith(("//", "\\\\", "/\\", "\\/")):
        return False
    scheme = _SCHEME.match(squeezed)
    return scheme is None or scheme.group(1).lower() in _ALLOWED_SCHEMES


#: Limits well beyond any prose, low enough that Python-Markdown's recursive and
#: quadratic corners (deep lists, bracket runs) stay fast and never overflow the stack.
MAX_NESTING = 8
MAX_LINE_CHARS = 2000
MAX_BRACKETS = 400
_QUOTE_OR_INDENT = re.compile(r"^((?:[ \t]*>)*)([ \t]*)")


def _density_problems(document: MarkdownDocument, code_lines: frozenset[int]) -> list[Diagnostic]:
    shown = document.shown_as
    problems: list[Diagnostic] = []
    brackets = 0
    for number, line in enumerate(document.text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            problems.append(Diagnostic(shown, number, MAX_LINE_CHARS + 1, "PB405",
                                       f"line is {len(line):,} characters long; at most {MAX_LINE_CHARS:,}",
                                       field="solution"))
            return problems
        if number in code_lines:
            continue
        quotes, indent = _QUOTE_OR_INDENT.match(line).groups()
        depth = quotes.count(">") + len(indent.expandtabs(4)) // 4
        if depth > MAX_NESTING:
            problems.append(Diagnostic(shown, number, 1, "PB405",
                                       f"nests {depth} levels deep (quotes and indented lists); at most {MAX_NESTING}",
                                       field="solution"))
            return problems
        brackets += line.count("[")
        if brackets > MAX_BRACKETS:
            problems.append(Diagnostic(shown, number, 1, "PB405",
                                       f"more than {MAX_BRACKETS} '[' in one document", field="solution"))
            return problems
    return problems


def _blank_code_spans(line: str) -> str:
    return _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)


class _RenderedParts(HTMLParser):
    """Collects link targets and images from the HTML Python-Markdown produced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href") is not None:
            self.links.append(values["href"] or "")
        if tag == "img":
            self.images.append(values.get("src") or "")


#: Only text holding one of these can parse into raw HTML, a link or an image.
_MAY_HOLD_MARKUP = re.compile(r"[<\[&]")


_local = threading.local()


def _converter() -> Any:
    """One Python-Markdown instance per thread (reset before each use): building
    one loads every extension, and an instance is not safe to share.

    Fenced code blocks are rendered by a preprocessor that stores its HTML in the
    same stash as raw HTML; the fenced preprocessor is wrapped to note which stash
    entries are its own, so code is never taken for raw HTML."""
    if not hasattr(_local, "converter"):
        import markdown
        from markdown.preprocessors import Preprocessor

        converter = markdown.Markdown(extensions=list(PROSE_MARKDOWN_EXTENSIONS), output_format="html")
        fenced = converter.preprocessors["fenced_code_block"]

        class NotingCodeBlocks(Preprocessor):
            def run(self, lines: list[str]) -> list[str]:
                first = len(self.md.htmlStash.rawHtmlBlocks)
                lines = fenced.run(lines)
                _local.code_blocks = range(first, len(self.md.htmlStash.rawHtmlBlocks))
                return lines

        converter.preprocessors.register(NotingCodeBlocks(converter), "fenced_code_block", 25)
        _local.converter = converter
    return _local.converter


def prose_markup(text: str) -> tuple[list[str], list[str], list[str]]:
    """Raw HTML, link targets and image sources as Python-Markdown parses
    ``text`` with the extensions prose is rendered with: a link target on the
    next line or HTML after an escaped backtick escapes line-by-line rules,
    never the parser that renders the page.

    The one detector of raw HTML in prose: validation reports what it finds, and
    every output that carries prose (the page's sanitiser, the agent files) treats
    the same fragments as raw HTML."""
    converter = _converter()
    converter.reset()
    _local.code_blocks = range(0)
    rendered = converter.convert(text)
    raw = [str(block) for index, block in enumerate(converter.htmlStash.rawHtmlBlocks)
           if index not in _local.code_blocks and str(block).lstrip().startswith("<")]
    parts = _RenderedParts()
    parts.feed(rendered)
    parts.close()
    return raw, parts.links, parts.images


def _position_of(text: str, fragment: str) -> tuple[int, int]:
    """Where ``fragment`` (or its first line) first appears in ``text``; 1:1 if nowhere."""
    probe = fragment.strip().splitlines()[0][:40] if fragment.strip() else ""
    index = text.find(probe) if probe else -1
    if index < 0:
        return 1, 1
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _positions_of(text: str, fragments: list[str]) -> list[tuple[int, int]]:
    """Where each fragment is, taking for each the first occurrence no earlier fragment took."""
    taken: set[int] = set()
    positions = []
    for fragment in fragments:
        probe = fragment.strip().splitlines()[0][:40] if fragment.strip() else ""
        index = text.find(probe) if probe else -1
        while index >= 0 and index in taken:
            index = text.find(probe, index + 1)
        if index < 0:
            positions.append(_position_of(text, fragment))
            continue
        taken.add(index)
        positions.append((text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1))
    return positions


def _parser_problems(document: MarkdownDocument, line_problems: list[Diagnostic]) -> list[Diagnostic]:
    """The parser's findings the line rules missed; and, where the parser finds no raw HTML at
    all, the line rules' PB402 reports go (``\\<b>`` is text to the parser and the page)."""
    if not _MAY_HOLD_MARKUP.search(document.text):
        return line_problems
    shown, text = document.shown_as, document.text
    raw, links, images = prose_markup(text)
    problems: list[Diagnostic] = []
    if raw:  # links and images inside raw HTML are that HTML's problem, reported once
        # The parser decides what is raw HTML; the line rules only place it. A fragment on a line
        # the line rules passed (HTML after an escaped backtick they took for a code span) is
        # reported where it is found, so nothing the sanitiser removes goes unreported.
        reported_lines = {d.line for d in line_problems if d.code == "PB402"}
        for line, column in _positions_of(text, raw):
            if line not in reported_lines:
                reported_lines.add(line)
                problems.append(Diagnostic(shown, line, column, "PB402", "raw HTML is not allowed in pattern prose",
                                           field="solution",
                                           hint="use Markdown, or put the text in `code` if it is meant literally"))
        return line_problems + problems
    line_problems = [d for d in line_problems if d.code != "PB402"]
    reported = {d.message for d in line_problems if d.code == "PB403"}
    for url in links:
        message = f"link target '{url[:60]}' is not allowed"
        if not url_is_allowed(url) and message not in reported:
            reported.add(message)
            line, column = _position_of(text, url)
            problems.append(Diagnostic(shown, line, column, "PB403", message, field="solution",
                                       hint="links may use https:, mailto: or a relative path within the site"))
    for source in images:
        if any(source[:60] in d.message for d in line_problems if d.code == "PB403"):
            continue  # its address is already refused
        line, column = _position_of(text, "](" + source if "](" + source in text else source)
        problems.append(Diagnostic(shown, line, column, "PB403", f"image '{source[:60]}' is not allowed",
                                   field="solution", hint=IMAGE_POLICY))
    return line_problems + problems


#: The one remote-image policy: prose shows no images at all (the sanitiser
#: drops <img>, and the site makes no request to another host); pictures are
#: diagram specs, drawn and served by the library itself.
IMAGE_POLICY = "pattern prose holds no images; draw it as a diagram in pattern.yaml instead"


def check_solution(document: MarkdownDocument,
                   required_sections: tuple[str, ...] = REQUIRED_SOLUTION_SECTIONS) -> list[Diagnostic]:
    shown = document.shown_as
    problems: list[Diagnostic] = []
    for title in required_sections:
        section = document.section(title)
        if section is None:
            problems.append(Diagnostic(
                shown, 1, 1, "PB401", f"no '## {title}' section",
                field="solution", hint=f"add a '## {title}' heading and explain the {title.lower()}"))
        elif len(section.body.split()) < MIN_SECTION_WORDS:
            problems.append(Diagnostic(
                shown, section.line, 1, "PB204",
                f"section '{title}' says too little (at least {MIN_SECTION_WORDS} words expected)",
                field="solution"))
    code_lines = document.code_lines()
    density = _density_problems(document, code_lines)
    if density:  # do not run the line rules over text built to be pathological
        return problems + density
    for number, raw_line in enumerate(document.text.splitlines(), start=1):
        if _SNIPPET.search(raw_line):
            column = _SNIPPET.search(raw_line).start() + 1
            problems.append(Diagnostic(shown, number, column, "PB404",
                                       "snippet include markers (--8<--) are not allowed in content",
                                       field="solution"))
        if SCAFFOLD_MARKER in raw_line:
            guidance = raw_line.split(SCAFFOLD_MARKER, 1)[1].strip(" :")
            problems.append(Diagnostic(shown, number, raw_line.index(SCAFFOLD_MARKER) + 1, "PB205",
                                       "still holds the scaffold placeholder; fill this in", field="solution",
                                       hint=guidance))
        if number in code_lines:
            continue
        line = _blank_code_spans(raw_line)
        for match in _RAW_HTML.finditer(line):
            problems.append(Diagnostic(
                shown, number, match.start() + 1, "PB402",
                "raw HTML is not allowed in pattern prose", field="solution",
                hint="use Markdown, or put the text in `code` if it is meant literally"))
        urls = [(m.start(1), m.group(1)) for m in _INLINE_LINK.finditer(line)]
        urls += [(m.start(1), m.group(1)) for m in _AUTOLINK.finditer(line)]
        definition = _REFERENCE_DEFINITION.match(line)
        if definition:
            urls.append((definition.start(1), definition.group(1)))
        for start, url in urls:
            if not url_is_allowed(url):
                problems.append(Diagnostic(
                    shown, number, start + 1, "PB403",
                    f"link target '{url[:60]}' is not allowed", field="solution",
                    hint="links may use https:, mailto: or a relative path within the site"))
    return _parser_problems(document, problems)
