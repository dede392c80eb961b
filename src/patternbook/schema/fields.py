"""Field types the bundle models share: text of bounded length, and the https addresses a reader can follow.
Declared once; the pattern, anti-pattern, cost and adoption models import them."""

from __future__ import annotations

from patternbook.schema.text import prose, short_text
from patternbook.schema.vocabulary import check_https_url

__all__ = ["Paragraph", "Reason", "Sentence", "Summary", "Title", "reference_url"]

Title = short_text(3, 80)
Summary = short_text(30, 200)
Sentence = prose(20, 4, 600)
Paragraph = prose(40, 8, 1500)
Reason = short_text(15, 200)


def reference_url(value: str) -> str:
    """A reference or source address: https, any host."""
    return check_https_url(value, hosts=None)
