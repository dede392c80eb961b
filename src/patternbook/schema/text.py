"""Text types that refuse filler.

The five questions are only worth asking if the answers say something, so every
prose field is a :func:`prose` type with a minimum length and word count, and
all contributor text is screened for placeholders and for invisible or
direction-changing characters (which make a title read differently from what
it is).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "PLACEHOLDER_PATTERN",
    "RESERVED_PAGE_NAMES",
    "SCAFFOLD_MARKER",
    "Identifier",
    "OneLine",
    "Slug",
    "check_text",
    "prose",
    "short_text",
]

#: What ``patternbook new`` writes into every field it cannot fill. It contains
#: TODO, so an untouched scaffold can never validate.
SCAFFOLD_MARKER = "TODO(fill in)"

PLACEHOLDER_PATTERN = re.compile(
    r"\b(?:TODO|TBD|FIXME|XXX)\b|lorem\s+ipsum|(?:^|\s)(?:\.{3}|\u2026)(?:\s|$)",
    re.IGNORECASE,
)

#: Zero-width, bidi-override and other invisible characters, C0/C1 controls
#: other than tab and newline, and the noncharacters U+FFFE/U+FFFF (which no
#: XML or YAML document may hold).
FORBIDDEN_CHARACTERS = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff]"
)

#: Names a slug or a catalogue id cannot take: the page it would name is its
#: folder's listing page (``patterns/index.md`` is served as ``patterns/``).
RESERVED_PAGE_NAMES = frozenset({"index"})

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
IDENTIFIER_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"


_PLACEHOLDER_HINTS = ("todo", "tbd", "fixme", "xxx", "lorem", "...", "\u2026")
#: The hints as one search over the lower-cased text (every string of a bundle passes here).
_PLACEHOLDER_HINT = re.compile("|".join(re.escape(hint) for hint in _PLACEHOLDER_HINTS))


def _may_hold_placeholder(value: str) -> bool:
    """A cheap substring pre-check: the regex runs only on the rare text that could match."""
    return _PLACEHOLDER_HINT.search(value.lower()) is not None


def check_text(value: str) -> str:
    """Reject hidden characters and placeholders in any contributor text."""
    hidden = FORBIDDEN_CHARACTERS.search(value)
    if hidden:
        raise PydanticCustomError(
            "invisible_characters",
            "contains the invisible or control character U+{codepoint}; delete it",
            {"codepoint": f"{ord(hidden.group()):04X}"},
        )
    placeholder = _may_hold_placeholder(value) and PLACEHOLDER_PATTERN.search(value)
    if placeholder:
        raise PydanticCustomError(
            "placeholder",
            "still holds placeholder text '{found}'; fill this in with content specific to the pattern",
            {"found": "TODO(fill in)" if SCAFFOLD_MARKER in value else placeholder.group().strip()},
        )
    return value


def _substance(min_words: int):
    def check(value: str) -> str:
        words = len(value.split())
        if words < min_words:
            raise PydanticCustomError(
                "not_substantive",
                "says too little ({words} words, at least {min_words} expected); "
                "be specific to this pattern",
                {"words": words, "min_words": min_words},
            )
        return value

    return check


def _single_line(value: str) -> str:
    if "\n" in value.strip():
        raise PydanticCustomError("multi_line", "must be a single line")
    return value


def prose(min_chars: int, min_words: int, max_chars: int = 4000) -> object:
    """A substantive piece of prose: long enough, enough words, no filler."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_chars, max_length=max_chars),
        AfterValidator(check_text),
        AfterValidator(_substance(min_words)),
    ]


def short_text(min_chars: int, max_chars: int) -> object:
    """A one-line label such as a title or a component name."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_chars, max_length=max_chars),
        AfterValidator(check_text),
        AfterValidator(_single_line),
    ]


Slug = Annotated[
    str,
    StringConstraints(min_length=2, max_length=64, pattern=SLUG_PATTERN),
]
"""kebab-case: lowercase letters and digits separated by single hyphens."""

Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]
"""An id inside a bundle (diagram, node, cluster): safe in file names and SVG ids."""

OneLine = short_text(2, 200)
