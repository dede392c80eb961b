"""Field types the bundle models share: text of bounded length, dates a catalogue can mean,
and the https addresses a reader can follow. Declared once; the pattern, anti-pattern and
cost models import them."""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from patternbook.schema.text import prose, short_text
from patternbook.schema.vocabulary import check_https_url

__all__ = ["EARLIEST_DATE", "LATEST_DATE", "Paragraph", "PlausibleDate", "Reason", "Sentence", "Summary", "Title",
           "reference_url"]

Title = short_text(3, 80)
Summary = short_text(30, 200)
Sentence = prose(20, 4, 600)
Paragraph = prose(40, 8, 1500)
Reason = short_text(15, 200)


def reference_url(value: str) -> str:
    """A reference or source address: https, any host."""
    return check_https_url(value, hosts=None)


#: Dates a catalogue can mean. Outside this range a date is a typo, and date
#: arithmetic (review deadlines) would overflow near year 9999.
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)


def _plausible_date(value: datetime.date) -> datetime.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError("date_range", "{value} is not a plausible date (between {earliest} and {latest})",
                                  {"value": value.isoformat(), "earliest": EARLIEST_DATE.isoformat(),
                                   "latest": LATEST_DATE.isoformat()})
    return value


PlausibleDate = Annotated[datetime.date, AfterValidator(_plausible_date)]
