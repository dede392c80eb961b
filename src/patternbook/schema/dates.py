"""Dates a catalogue can mean, shared by every model that holds one (reviews, costs, adoption)."""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

__all__ = ["EARLIEST_DATE", "LATEST_DATE", "PlausibleDate"]

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
