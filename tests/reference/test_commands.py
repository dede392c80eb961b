"""Every command and option of the parser is in the command reference, and a new option reaches it."""

from __future__ import annotations

import argparse

from patternbook.cli import build_parser
from patternbook.escaping import markdown_inline
from patternbook.reference.commands import command_entries, command_reference


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [group] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(group.choices)


def test_every_command_and_option_is_in_the_reference() -> None:
    parser = build_parser()
    page = command_reference(parser)
    for name, command in _subcommands(parser).items():
        assert f"## patternbook {name}\n" in page, name
        for action in command._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings or [action.metavar or action.dest]:
                assert str(markdown_inline(option)) in page, (name, option)
            if action.help:
                assert str(markdown_inline(" ".join(action.help.split()))) in page, (name, action.help)
            for choice in action.choices or ():
                assert f"<code>{markdown_inline(str(choice))}</code>" in page, (name, choice)


def test_an_option_added_to_the_parser_reaches_the_reference_with_no_markdown_edit() -> None:
    parser = build_parser()
    _subcommands(parser)["build"].add_argument("--radar", choices=("adopt", "hold"), default="adopt",
                                               help="draw the adoption radar")
    [build] = [entry for entry in command_entries(parser) if entry.name == "patternbook build"]
    assert next(o for o in build.options if o.names == ("--radar",)).choices == ("adopt", "hold")
    page = command_reference(parser)
    assert "<code>--radar RADAR</code>" in page and "draw the adoption radar" in page


def test_defaults_and_required_options_are_shown() -> None:
    entries = {entry.name: entry for entry in command_entries(build_parser())}
    new = {option.names[-1]: option for option in entries["patternbook new"].options}
    assert new["--category"].required and not new["--title"].required
    assert new["--catalogue"].default == "patterns"
    assert entries["patternbook validate"].summary.startswith("check bundles")
