"""One vocabulary for problems.

A problem in a contributor's bundle is a *value* (:class:`Diagnostic`), never an
exception: the validator collects them all and the reporters print them. Only
three kinds of exception exist, and they are kept apart on purpose: a
:class:`UsageError` is the caller's mistake (exit 2), a :class:`ValidationFailed`
carries diagnostics (exit 1), and anything else is a bug in Patternbook and is
the only thing allowed to print a traceback.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from patternbook.escaping import terminal_text

__all__ = [
    "CODES",
    "FIXES",
    "Diagnostic",
    "PatternbookError",
    "Severity",
    "UsageError",
    "ValidationFailed",
    "field_path",
    "sort_diagnostics",
]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


#: Stable diagnostic codes. Codes are part of the public contract: CI logs,
#: editor integrations and the docs refer to them, so a code is never reused.
CODES: dict[str, str] = {
    # files and bytes
    "PB001": "file cannot be read",
    "PB002": "file is not valid UTF-8",
    "PB003": "file contains a NUL or forbidden control character",
    "PB004": "file is larger than the size limit",
    "PB005": "symlinks are not allowed in a bundle",
    "PB006": "unexpected file in a bundle",
    "PB007": "required file is missing",
    "PB008": "bundle folder name is not a valid slug",
    "PB009": "too many problems in one file; the rest are counted, not shown",
    # YAML
    "PB101": "YAML syntax error",
    "PB102": "YAML tags are not allowed",
    "PB103": "YAML anchors and aliases are not allowed",
    "PB104": "duplicate key",
    "PB105": "YAML 1.1 reads this unquoted value as something other than text",
    "PB106": "document must be a mapping",
    "PB107": "mapping keys must be plain text",
    # fields
    "PB201": "required field is missing",
    "PB202": "unknown field",
    "PB203": "wrong type",
    "PB204": "text is too short to be substantive",
    "PB205": "placeholder text",
    "PB206": "value is not in the catalogue's vocabulary",
    "PB207": "invalid value",
    "PB208": "too few or too many items",
    "PB209": "URL is not allowed",
    "PB210": "text is too long",
    "PB211": "invisible or direction-changing characters in text",
    # markdown
    "PB401": "required Markdown section is missing",
    "PB402": "raw HTML is not allowed in Markdown",
    "PB403": "link or image URL is not allowed",
    "PB404": "snippet includes are not allowed",
    "PB405": "Markdown nests too deep or is too dense to render safely",
    # cross-bundle
    "PB301": "duplicate slug or title",
    "PB302": "relation points at an unknown pattern",
    "PB303": "relation's inverse is missing on the other pattern",
    "PB304": "review is past due",
    "PB305": "series lists an unknown pattern",
    "PB306": "superseded_by is wrong for the status",
    "PB307": "pattern relates to itself",
    "PB308": "catalogue vocabulary has a duplicate id",
    "PB309": "pattern relates to no other pattern while the catalogue holds others",
    "PB310": "two sources would be published at one site path",
    "PB311": "relation joins the wrong kinds of bundle (pattern / anti-pattern)",
    # diagrams
    "PB501": "unknown diagram node kind",
    "PB502": "diagram reference does not resolve",
    "PB503": "diagram is over a size limit",
    "PB504": "diagram clusters nest too deep or in a cycle",
    # cost model
    "PB601": "stated cost estimate disagrees with what its priced drivers compute",
    "PB602": "cost drivers are priced partly (a price needs a quantity; one priced driver needs all priced)",
    "PB603": "quantity names an unknown workload parameter",
    "PB604": "workload parameter is used by no driver",
    "PB605": "price currency differs from the estimate's currency",
    "PB606": "a computed cost is not finite or exceeds the largest amount Patternbook handles",
    # adoption radar
    "PB701": "adoption ring is not one of the catalogue's rings",
    "PB702": "adoption ring or status lacks the known uses catalogue.yaml requires",
    "PB703": "an anti-pattern's adoption ring can only be the hold ring",
    "PB704": "adoption date is in the future",
    "PB705": "catalogue.yaml's adoption section names an unknown ring or category",
}

#: How to fix each code, in one or two sentences: the handbook's diagnostics reference prints
#: it beside the code's meaning and a snippet that produces it. Every code has one (a test checks).
FIXES: dict[str, str] = {
    "PB001": "Check the file's permissions and that it is a regular file, then run validate again.",
    "PB002": "Save the file as UTF-8 without a byte order mark (most editors offer it under 'Save with encoding').",
    "PB003": "Delete the control character; paste text as plain text rather than from a rich-text source.",
    "PB004": "Shorten the file below the size limit: a bundle file holds prose and data, never generated output.",
    "PB005": "Replace the symlink with the file itself: a bundle is read only from its own folder.",
    "PB006": "Remove the file, or move its content into pattern.yaml or solution.md: diagrams are drawn from "
             "the spec, so images and other files have no place in a bundle.",
    "PB007": "Add the missing file; 'patternbook new' writes both files of a bundle.",
    "PB008": "Rename the folder to lowercase letters, digits and single hyphens (kebab-case); 'index' is reserved.",
    "PB009": "Fix the problems shown first; the rest appear once fewer remain.",
    "PB101": "Correct the YAML at the position shown; a file holds exactly one document.",
    "PB102": "Remove the tag (such as !!python/object): bundle YAML is plain data.",
    "PB103": "Write the value out in full instead of an anchor (&name) and alias (*name).",
    "PB104": "Keep one of the two keys; YAML would otherwise silently keep the last.",
    "PB105": "Quote the value (\"NO\", \"1.10\") so it stays text; write dates unquoted only in date fields.",
    "PB106": "Make the file a mapping of field names to values, as 'patternbook new' writes it.",
    "PB107": "Write every key as plain text (field_name:), not a list, mapping or number.",
    "PB201": "Add the field; the bundle reference lists what each one holds.",
    "PB202": "Remove the field or correct its spelling (the message suggests the closest known name).",
    "PB203": "Give the value the type the field expects (text, a list, a number, a date).",
    "PB204": "Say more: name the components, numbers and conditions specific to this pattern.",
    "PB205": "Replace the placeholder (TODO, TBD, lorem ipsum, ...) with real content.",
    "PB206": "Use an id from catalogue.yaml (or add the id there), or one of the values listed in the message.",
    "PB207": "Correct the value as the message says (format, range or order).",
    "PB208": "Add or remove items so the list has as many as the message says.",
    "PB209": "Use an https:// address on an allowed host, without credentials, port or non-ASCII characters.",
    "PB210": "Shorten the text to the limit given in the message.",
    "PB211": "Delete the invisible or direction-changing character (retype the text if you cannot see it).",
    "PB301": "Give each bundle its own folder name and a title that does not imitate another's.",
    "PB302": "Point at the slug of a bundle in this catalogue (the message suggests close ones).",
    "PB303": "Add the inverse relation to the other bundle, or remove this one.",
    "PB304": "Review the pattern again and set last_reviewed to today's date.",
    "PB305": "List only slugs of patterns in the catalogue in the series.",
    "PB306": "Set superseded_by only on a deprecated pattern, and always on one, naming an existing pattern.",
    "PB307": "Remove the relation that names the bundle itself.",
    "PB308": "Give every id in catalogue.yaml's list its own value.",
    "PB309": "Add a relation to at least one other pattern of the catalogue (or accept the warning while it is alone).",
    "PB310": "Rename one of the two sources so each has its own site path.",
    "PB311": "Relate patterns to patterns and anti-patterns to anti-patterns; refactor_to names a current pattern.",
    "PB401": "Add the missing '##' section with at least the number of words the message gives.",
    "PB402": "Write Markdown instead of HTML, or put literal markup in `code`.",
    "PB403": "Link with https:, mailto: or a relative path; draw pictures as a diagram in pattern.yaml.",
    "PB404": "Copy the text into the bundle instead of including a snippet.",
    "PB405": "Flatten the nesting, split long lines and reduce runs of brackets.",
    "PB501": "Use a node kind from the allowlist (the message suggests the closest).",
    "PB502": "Point the reference at an id defined in the same diagram.",
    "PB503": "Split the diagram or remove nodes, edges or clusters to stay within the limits.",
    "PB504": "Nest clusters at most three deep and give no cluster itself as an ancestor.",
    "PB601": "Correct the stated estimate, or the prices and quantities, until both agree within the tolerance.",
    "PB602": "Give every driver both a price and a quantity once one is priced (a free item at amount 0).",
    "PB603": "Name a workload parameter defined under cost.workload (the message suggests close ones).",
    "PB604": "Use the workload parameter in a driver's quantity, or remove it.",
    "PB605": "Quote the provider's price in the estimate's currency; Patternbook does not convert currencies.",
    "PB606": "Check price.per and each quantity's units: the amount buys price.per units of price.unit.",
    "PB701": "Use one of the ring ids catalogue.yaml lists under adoption.rings (the message suggests the closest).",
    "PB702": "Add the known_uses the rule asks for, each with who and what, or choose a ring the evidence supports.",
    "PB703": "Put the anti-pattern in the hold ring, or leave its adoption block out: it defaults to hold.",
    "PB704": "Give the date the ring was decided, today or earlier.",
    "PB705": "Name only rings listed under adoption.rings and categories listed in catalogue.yaml, each category "
             "in one quadrant.",
}


@dataclass(frozen=True, slots=True, order=False)
class Diagnostic:
    """A problem found in contributor content, positioned in its source file.

    ``line`` and ``column`` are 1-based, as editors and ``::error`` annotations
    expect. ``field`` is the dotted path of the offending value
    (``failure_edges[0].detection``) or empty when the problem is the file.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    field: str = ""
    severity: Severity = Severity.ERROR
    hint: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:  # pragma: no cover - guards our own code
            raise ValueError(f"unregistered diagnostic code {self.code}")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_error(self) -> Diagnostic:
        """The same problem promoted to an error (``--strict``)."""
        return Diagnostic(
            self.path, self.line, self.column, self.code, self.message,
            self.field, Severity.ERROR, self.hint,
        )

    def format(self) -> str:
        """``path:line:col: CODE field: message`` — the shape compilers use, for terminals
        and logs: every field is contributor text (a path, a YAML key, a quoted value)
        and goes through :func:`~patternbook.escaping.terminal_text`."""
        where = f"{terminal_text(self.path)}:{self.line}:{self.column}"
        kind = "" if self.is_error else "warning "
        subject = f" {terminal_text(self.field)}:" if self.field else ""
        text = f"{where}: {kind}{terminal_text(self.code)}{subject} {terminal_text(self.message)}"
        if self.hint:
            text += f" ({terminal_text(self.hint)})"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Order by file then position, dropping exact repeats.

    pydantic can report one bad value through several union branches; readers
    want each problem once.
    """
    seen: set[tuple[str, int, int, str, str]] = set()
    unique: list[Diagnostic] = []
    for diagnostic in diagnostics:
        key = (diagnostic.path, diagnostic.line, diagnostic.column,
               diagnostic.code, diagnostic.field)
        if key not in seen:
            seen.add(key)
            unique.append(diagnostic)
    return sorted(unique, key=lambda d: (d.path, d.line, d.column, d.code))


class PatternbookError(Exception):
    """Base of the errors Patternbook reports without a traceback."""


class UsageError(PatternbookError):
    """The command was called wrongly (missing path, bad option): exit 2."""


@dataclass
class ValidationFailed(PatternbookError):
    """Raised by adapters (build, export) that cannot go on with invalid content."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


def field_path(path: tuple[object, ...] | list[object]) -> str:
    """``("failure_edges", 0, "detection")`` → ``failure_edges[0].detection``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
