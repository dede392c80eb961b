"""The catalogue-level file, ``patterns/catalogue.yaml``: the closed vocabularies."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from patternbook.schema.adoption import AdoptionSettings
from patternbook.schema.base import StrictModel
from patternbook.schema.text import RESERVED_PAGE_NAMES, OneLine, Slug, prose, short_text

__all__ = ["CatalogueFile", "Category", "Series", "Symptom"]

Host = Annotated[str, StringConstraints(pattern=r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")]


def _not_reserved(value: str) -> str:
    if value in RESERVED_PAGE_NAMES:
        raise PydanticCustomError("reserved", "'index' is reserved: a page of that name is the listing of its folder")
    return value


PageId = Annotated[Slug, AfterValidator(_not_reserved)]
"""An id that names a page of the site (``categories/<id>/``, ``series/<id>/``)."""


class Category(StrictModel):
    id: PageId
    """What bundles write in ``category``; also the address of the category's page."""
    title: short_text(3, 60)  # type: ignore[valid-type]
    """The category's name in navigation and on its page."""
    description: prose(40, 8, 600)  # type: ignore[valid-type]
    """What the category covers, in a sentence or two shown on its page."""


class Series(StrictModel):
    """An ordered learning path through the catalogue."""

    id: PageId
    """Names the series page (``series/<id>/``)."""
    title: short_text(3, 80)  # type: ignore[valid-type]
    """The learning path's name as readers see it."""
    description: prose(40, 8, 600)  # type: ignore[valid-type]
    """Who the path is for and what it builds up to, shown on its page."""
    patterns: list[Slug] = Field(min_length=2, max_length=40)
    """Pattern slugs in reading order: the first is read first."""


class Symptom(StrictModel):
    """A problem readers arrive with, phrased the way they would say it."""

    id: Slug
    """What bundles list in ``symptoms`` (a pattern's under ``pressure``)."""
    title: OneLine  # type: ignore[valid-type]
    """The problem in a reader's own words (``Our retries turn a small blip into an outage``)."""


class CatalogueFile(StrictModel):
    categories: list[Category] = Field(min_length=1)
    """The sections bundles are filed under; each bundle names one."""
    tags: list[Slug] = Field(min_length=1)
    """Every tag a bundle may use; add a missing one here in the same pull request."""
    series: list[Series] = Field(default_factory=list)
    """Optional learning paths: patterns to read in a given order."""
    symptoms: list[Symptom] = Field(min_length=1)
    """Problems readers arrive with; the problem finder lists the bundles behind each."""
    repository_hosts: list[Host] = Field(min_length=1)
    """Hosts a companion repository URL may point at (``github.com``)."""
    adoption: AdoptionSettings = Field(default_factory=AdoptionSettings)
    """The adoption radar: rings, quadrants, evidence rules. Defaults apply when left out."""
