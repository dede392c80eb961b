"""Checks against the catalogue's closed vocabularies.

Categories, tags, symptoms and repository hosts are defined per catalogue in
``patterns/catalogue.yaml``, so they cannot be ``Literal`` types. The validation
layer passes a :class:`Vocabulary` as pydantic's validation *context*; without
one (JSON Schema generation, for instance) these checks stand aside.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from patternbook.schema.adoption import AdoptionSettings

__all__ = ["Vocabulary", "check_https_url", "did_you_mean", "in_vocabulary"]


@dataclass(frozen=True)
class Vocabulary:
    categories: frozenset[str]
    tags: frozenset[str]
    symptoms: frozenset[str]
    repository_hosts: frozenset[str]
    adoption: AdoptionSettings | None = None
    """The catalogue's rings and evidence rules (``catalogue.yaml``'s ``adoption``)."""


def did_you_mean(value: str, choices: frozenset[str] | list[str] | tuple[str, ...]) -> str:
    matches = difflib.get_close_matches(value, sorted(choices), n=3, cutoff=0.6)
    if not matches:
        return ""
    return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"


def in_vocabulary(kind: str, attribute: str):
    """A validator accepting only values listed under ``attribute`` of the vocabulary."""

    def check(value: str, info: ValidationInfo) -> str:
        vocabulary = (info.context or {}).get("vocabulary")
        if vocabulary is None:
            return value
        allowed: frozenset[str] = getattr(vocabulary, attribute)
        if value not in allowed:
            hint = did_you_mean(value, allowed)
            raise PydanticCustomError(
                "vocabulary",
                "'{value}' is not a {kind} defined in catalogue.yaml{hint}",
                {"value": value, "kind": kind, "hint": f"; {hint}" if hint else ""},
            )
        return value

    return check


#: White space (``str.isspace``'s, which ``\\s`` matches in a str pattern), C0 controls and backslashes.
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\\]")


def check_https_url(value: str, *, hosts: frozenset[str] | None) -> str:
    """Accept only a plain ``https://host/...`` URL, optionally on an allowed host.

    Rejected: other schemes, credentials or ``@`` tricks (``github.com@evil``),
    ports, non-ASCII or punycode hosts (homoglyphs), whitespace and control
    characters.
    """
    if _NOT_IN_URL.search(value):
        raise PydanticCustomError("url", "URL contains whitespace, a backslash or a control character")
    if not value.isascii():
        raise PydanticCustomError("url", "URL must be ASCII; non-ASCII hosts can imitate real ones")
    parts = urlsplit(value)
    if parts.scheme != "https":
        raise PydanticCustomError("url", "only https:// URLs are allowed, not '{scheme}:'",
                                  {"scheme": parts.scheme or "(none)"})
    if "@" in parts.netloc or parts.port is not None or not parts.hostname:
        raise PydanticCustomError("url", "URL host must be a plain host name, without credentials or port")
    host = parts.hostname
    if "xn--" in host:
        raise PydanticCustomError("url", "punycode host names are not allowed")
    if hosts is not None and host not in hosts:
        hint = did_you_mean(host, hosts)
        raise PydanticCustomError(
            "url",
            "host '{host}' is not one of the catalogue's repository_hosts ({allowed}){hint}",
            {"host": host, "allowed": ", ".join(sorted(hosts)), "hint": f"; {hint}" if hint else ""},
        )
    return value
