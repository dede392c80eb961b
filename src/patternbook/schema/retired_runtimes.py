"""The dated list of retired runtimes and frameworks, read from a file shipped in the package.

Providers retire runtimes on published dates (AWS Lambda's ``python3.8`` on 2024-10-14, AWS
CDK v1 on 2023-06-01). ``retired_runtimes.yaml`` next to this module holds each with its date,
its source and the tokens that recognise it in a repository; one list serves the schema (a
bundle may only flag a runtime the list knows), the pattern page (which prints the date and
source beside the companion link) and ``check-links`` (which scans companion repositories for
the tokens). Like ``diagram_kinds.txt`` it is read once, lazily: most commands never need it.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from importlib import resources
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from patternbook.schema.base import StrictModel
from patternbook.schema.vocabulary import check_https_url, did_you_mean

__all__ = ["RETIRED_RUNTIMES_FILE", "RetiredRuntime", "RetiredRuntimeId", "RetiredRuntimeList", "known_retired_runtime",
           "retired_runtime_list", "retired_runtimes"]

RETIRED_RUNTIMES_FILE = "retired_runtimes.yaml"

#: A token is matched whole, so it must not be empty or hold a line break.
Token = Annotated[str, Field(min_length=2, max_length=80, pattern=r"^[^\n\r]+$")]


class RetiredRuntime(StrictModel):
    """One runtime or framework a provider retires on a published date."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,39}$")]
    """What a bundle's ``repositories[].retired_runtimes`` names: the provider's own identifier where it has one."""
    name: Annotated[str, Field(min_length=2, max_length=80)]
    provider: Annotated[str, Field(min_length=2, max_length=80)]
    retired: datetime.date
    """The provider's deprecation or end-of-support date: retired from this day on."""
    source: Annotated[str, AfterValidator(lambda url: check_https_url(url, hosts=None))]
    """Where the provider publishes the date."""
    in_configuration: list[Token] = Field(default_factory=list, max_length=10)
    """Tokens that name it in manifests and infrastructure files (``template.yaml``, ``*.tf``, ``package.json``)."""
    in_code: list[Token] = Field(default_factory=list, max_length=10)
    """Tokens that name it in source files (a CDK app's ``Runtime.PYTHON_3_8``)."""

    @property
    def title(self) -> str:
        """``AWS Lambda python3.8 (Python 3.8)``: the provider, its identifier, and its name when they differ."""
        return f"{self.provider} {self.id}" + (f" ({self.name})" if self.name != self.id else "")

    def retired_on(self, day: datetime.date) -> bool:
        return day >= self.retired


class RetiredRuntimeList(StrictModel):
    checked: datetime.date
    """The day the dates were last compared with their sources."""
    runtimes: list[RetiredRuntime] = Field(min_length=1)


@lru_cache(maxsize=1)
def retired_runtime_list() -> RetiredRuntimeList:
    import yaml

    text = resources.files(__package__).joinpath(RETIRED_RUNTIMES_FILE).read_text(encoding="utf-8")
    listed = RetiredRuntimeList.model_validate(yaml.safe_load(text))
    ids = [runtime.id for runtime in listed.runtimes]
    if len(ids) != len(set(ids)):  # a packaging bug, not a contributor's: fail loudly
        raise ValueError(f"{RETIRED_RUNTIMES_FILE} lists an id twice")
    return listed


def retired_runtimes() -> dict[str, RetiredRuntime]:
    """Every listed runtime by id, in the file's order."""
    return {runtime.id: runtime for runtime in retired_runtime_list().runtimes}


def known_retired_runtime(value: str) -> str:
    """A validator: ``value`` must be an id from the shipped list."""
    known = retired_runtimes()
    if value not in known:
        hint = did_you_mean(value, list(known))
        raise PydanticCustomError(
            "vocabulary", "'{value}' is not in Patternbook's list of retired runtimes{hint}",
            {"value": value, "hint": f"; {hint}" if hint else f" (known: {', '.join(known)})"})
    return value


def _list_known_ids(schema: dict) -> None:
    """In the JSON Schema, the ids as an enum, so an editor completes them."""
    schema["enum"] = list(retired_runtimes())


#: A bundle's name for a retired runtime: an id from the shipped list.
RetiredRuntimeId = Annotated[str, AfterValidator(known_retired_runtime), Field(json_schema_extra=_list_known_ids)]
