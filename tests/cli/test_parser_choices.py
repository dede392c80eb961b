"""Every closed list the command line offers is owned by one module; the parser spells them
out only so that ``--help`` stays fast. These tests keep each copy equal to its owner, so a
new reporter, kind, engine or format reaches the command line or fails here. Defaults the
parser spells out for the same reason are held equal to their owners too."""

from __future__ import annotations

import argparse
import typing

import pytest

from patternbook.catalogue_diff.render import Format
from patternbook.cli import build_parser
from patternbook.cli.reporters import REPORTERS
from patternbook.companions.report import REPORT_FORMATS
from patternbook.engines import ENGINES
from patternbook.schema.kinds import BUNDLE_KINDS
from patternbook.validation.result_cache import DEFAULT_CACHE_FILE


def _action(command: str, option: str) -> argparse.Action:
    parser = build_parser()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return next(a for a in subcommands.choices[command]._actions if option in a.option_strings)


def _choices(command: str, option: str) -> tuple[str, ...]:
    return tuple(_action(command, option).choices)


@pytest.mark.parametrize(("command", "option", "owner"), [
    ("validate", "--format", tuple(REPORTERS)),
    ("new", "--kind", tuple(BUNDLE_KINDS)),
    ("build", "--engine", tuple(ENGINES)),
    ("serve", "--engine", tuple(ENGINES)),
    ("diff", "--format", typing.get_args(Format)),
    ("check-links", "--format", REPORT_FORMATS),
], ids=lambda value: value if isinstance(value, str) else None)
def test_each_choice_list_is_its_owners(command: str, option: str, owner: tuple[str, ...]) -> None:
    assert sorted(_choices(command, option)) == sorted(owner)


def test_the_validation_cache_default_is_the_cache_modules() -> None:
    action = _action("validate", "--cache")
    assert action.default == DEFAULT_CACHE_FILE
    assert f"(default: {DEFAULT_CACHE_FILE})" in action.help
