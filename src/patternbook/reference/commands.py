"""The command reference: every command and option, read from the argument parser.

``patternbook COMMAND --help`` and this page say the same thing because they are
the same data: argparse's parser, walked through its actions. An option added
to :func:`patternbook.cli.build_parser` is on the page at the next build.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass

from patternbook.reference.markdown import inline_text, table

__all__ = ["CommandEntry", "OptionEntry", "command_entries", "command_reference"]


@dataclass(frozen=True)
class OptionEntry:
    """One argument of a command: a positional (``PATH``) or an option (``--strict``)."""

    names: tuple[str, ...]
    """``("-d", "--site-dir")`` for an option; the metavar (``PATH``) for a positional."""
    metavar: str
    help: str
    default: str
    choices: tuple[str, ...]
    required: bool
    positional: bool


@dataclass(frozen=True)
class CommandEntry:
    name: str
    """``patternbook validate``; the program itself for its own options."""
    summary: str
    description: str
    options: tuple[OptionEntry, ...]


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse._SubParsersAction]:
    for action in parser._actions:  # argparse keeps its actions here and nowhere public
        if isinstance(action, argparse._SubParsersAction):
            yield action


def _shown_default(action: argparse.Action) -> str:
    if action.default in (None, False, argparse.SUPPRESS) or isinstance(action, argparse._HelpAction):
        return ""
    if isinstance(action.default, list | tuple):
        return " ".join(str(item) for item in action.default)
    return str(action.default)


def _option(action: argparse.Action) -> OptionEntry:
    positional = not action.option_strings
    metavar = action.metavar if isinstance(action.metavar, str) else ""
    if not metavar and action.nargs != 0 and not isinstance(action, argparse._VersionAction):
        metavar = action.dest.upper()
    help_text = "" if action.help in (None, argparse.SUPPRESS) else str(action.help)
    if "%(" in help_text:
        help_text = help_text % {**vars(action), "prog": ""}
    return OptionEntry(
        names=tuple(action.option_strings) or (metavar or action.dest,),
        metavar=metavar if not positional else "",
        help=help_text,
        default=_shown_default(action),
        choices=tuple(str(choice) for choice in action.choices or ()),
        required=action.nargs not in ("?", "*") if positional else bool(action.required),
        positional=positional,
    )


def _options(parser: argparse.ArgumentParser) -> tuple[OptionEntry, ...]:
    return tuple(_option(action) for action in parser._actions
                 if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction))


def command_entries(parser: argparse.ArgumentParser) -> list[CommandEntry]:
    """The program's own options, then every command, in the order the parser lists them."""
    entries = [CommandEntry(parser.prog, "", parser.description or "", _options(parser))]
    for group in _subparsers(parser):
        summaries = {choice.dest: choice.help or "" for choice in group._choices_actions}
        for name, command in group.choices.items():
            entries.append(CommandEntry(f"{parser.prog} {name}", summaries.get(name, ""),
                                        command.description or "", _options(command)))
    return entries


def _usage(entry: CommandEntry) -> str:
    words = [entry.name]
    for option in entry.options:
        if option.positional:
            name = option.names[0]
            words.append(name if option.required else f"[{name}]")
        elif option.names[-1] not in ("--version",):
            shown = option.names[-1] + (f" {option.metavar}" if option.metavar else "")
            words.append(shown if option.required else f"[{shown}]")
    return " ".join(words)


_COLUMNS = ("Argument", "What it does", "Default", "Choices")


def command_reference(parser: argparse.ArgumentParser) -> str:
    """Markdown: a section per command with its usage, description and a table of its arguments."""
    parts: list[str] = []
    for entry in command_entries(parser):
        parts.append(f"## {inline_text(entry.name)}\n")
        if entry.summary:
            parts.append(f"*{inline_text(entry.summary)}*\n")
        parts.append(f"{inline_text(_usage(entry), code=True)}\n")
        if entry.description:
            parts.append(f"{inline_text(entry.description)}\n")
        rows = []
        for option in entry.options:
            names = ", ".join(option.names) + (f" {option.metavar}" if option.metavar else "")
            required = " (required)" if option.required and not option.positional else ""
            rows.append((inline_text(names, code=True) + required, inline_text(option.help),
                         inline_text(option.default, code=True), ", ".join(
                             inline_text(choice, code=True) for choice in option.choices)))
        if rows:
            parts.append(table(_COLUMNS, rows))
    return "\n".join(parts)
