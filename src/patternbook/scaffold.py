"""``patternbook new``: a bundle to fill in; ``patternbook init``: a catalogue repository to start from.

Every value the generator cannot know holds the scaffold marker, which fails
validation with "fill this in" for that field, so an untouched scaffold can
never be merged. The guidance after the marker says what belongs there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from patternbook.errors import UsageError
from patternbook.escaping import markdown_text, yaml_string
from patternbook.loader import PATTERN_FILE, SOLUTION_FILE
from patternbook.schema import SCAFFOLD_MARKER, CatalogueFile, did_you_mean
from patternbook.schema.text import FORBIDDEN_CHARACTERS, RESERVED_PAGE_NAMES, SLUG_PATTERN

__all__ = ["EDITOR_SCHEMA", "HOOK_REV", "scaffold_bundle", "write_editor_schema", "write_starter_catalogue"]

#: Where editors look for the JSON Schema, relative to the repository that holds the catalogue
#: folder; the modeline of every ``pattern.yaml`` (``patterns/<slug>/``) points here.
EDITOR_SCHEMA = Path("schema") / "pattern.schema.json"
SCHEMA_MODELINE = "# yaml-language-server: $schema=../../schema/pattern.schema.json"

#: The commit of this repository that catalogues' ``.pre-commit-config.yaml`` names as ``rev``
#: until releases are tagged. It must hold ``.pre-commit-hooks.yaml`` and the relation rule that
#: lets a one-pattern catalogue validate (tests/test_starter.py checks both).
HOOK_REV = "dadfde423220d5705f01564fb346ab66b1547bcd"

STARTER = Path(__file__).resolve().parent / "starter"

#: A repository URL ``init`` writes into ``mkdocs.yml`` (and themes print into every page):
#: ``https://host/owner/repo`` and nothing else: no user info, port, query, fragment, quote or
#: markup, so the value is the same text in YAML, HTML and a link.
REPOSITORY_URL = re.compile(r"https://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?"
                            r"/[A-Za-z0-9][A-Za-z0-9._-]{0,99}/[A-Za-z0-9][A-Za-z0-9._-]{0,99}/?")


def _fill(guidance: str) -> str:
    return json.dumps(f"{SCAFFOLD_MARKER}: {guidance}")


def _header(title: str, category: str, summary_hint: str, owners_hint: str, kind: str | None = None) -> str:
    """The fields every bundle kind opens with, in the order the README lists them."""
    f = _fill
    kind_line = f"kind: {kind}\n" if kind else ""
    return f"""{SCHEMA_MODELINE}
{kind_line}title: {json.dumps(title)}
summary: {f(f"one line, 30-200 characters, {summary_hint}")}
category: {category}
tags: [{f("1-8 tag ids from catalogue.yaml")}]
status: draft
owners: [{f(f"{owners_hint}, e.g. @org/team")}]
last_reviewed: {f("the date of your review, YYYY-MM-DD")}
review_interval_days: 180
"""


def _pattern_yaml(title: str, category: str) -> str:
    f = _fill
    return _header(title, category, "on what the pattern does", "who keeps this pattern true") + f"""
pillars:
  reliability: {f("one line on how the pattern serves this pillar; keep only the pillars it serves")}

pressure:
  force: {f("the force on the system that makes this shape necessary, in a paragraph")}
  signals:
    - {f("an observable sign that a team is under this pressure")}
    - {f("another observable sign")}
  symptoms: [{f("symptom ids from catalogue.yaml that this pattern answers")}]

when_to_use:
  - {f("a situation where this pattern is the right answer")}
  - {f("another one")}
when_not_to_use:
  - {f("a situation where this pattern is the wrong answer")}
  - {f("another one")}

failure_edges:  # in order: the first one is what breaks first
  - fails: {f("what breaks first in production")}
    trigger: {f("what sets it off")}
    blast_radius: {f("who and what is affected")}
    detection: {f("the metric, alarm or signal that tells you, by name")}
    mitigation: {f("what limits the damage")}
    recovery: {f("how you get back to normal")}
  - fails: {f("what breaks next")}
    trigger: {f("what sets it off")}
    blast_radius: {f("who and what is affected")}
    detection: {f("the metric, alarm or signal that tells you, by name")}
    mitigation: {f("what limits the damage")}
    recovery: {f("how you get back to normal")}

cost:
  estimate:
    low: {f("the low end of the range, a number")}
    high: {f("the high end of the range, a number")}
    currency: USD
    period: month
    as_of: {f("when these prices were checked, YYYY-MM-DD")}
    assumptions: {f("region, traffic and sizes that make the range checkable")}
  drivers:
    - component: {f("the billed component")}
      dimension: {f("what it is billed by")}
      scaling: {f("how the bill moves with load")}

operations:
  monitoring:
    slis: [{f("a service level indicator for this pattern")}]
    alarms: [{f("an alarm by name and threshold")}]
  runbooks: [{f("a runbook the team needs")}]
  skills: [{f("a skill the team needs")}]
  toil: [{f("recurring work this pattern brings")}]

repositories:
  - url: {f("https URL of a real public repository with the infrastructure code")}
    iac: terraform
    ref: {f("the full 40-character commit SHA you read the code at (git rev-parse HEAD)")}
    path: {f("the folder holding this pattern's code; delete the line for the whole repository")}
    description: {f("one line on what the repository deploys, true at that commit")}

relations:  # optional while this is the only pattern; remove the entry if nothing relates yet
  - type: complements
    pattern: {f("the slug of a related pattern")}

diagrams:
  - id: overview
    title: {f("what the diagram shows")}
    caption: {f("one sentence under the diagram")}
    alt: {f("the picture in words, for screen readers")}
    direction: LR
    nodes:
      - {{id: client, label: Client, kind: onprem.client.Client}}
      - {{id: service, label: {f("a component")}, kind: {f("a node kind such as aws.compute.Lambda")}}}
    edges:
      - {{from: client, to: service, label: request}}
"""


def _anti_pattern_yaml(title: str, category: str) -> str:
    f = _fill
    return _header(title, category, "on what the anti-pattern looks like and why it hurts",
                   "who keeps this page true", kind="anti-pattern") + f"""
harms:
  reliability: {f("one line on how the shape erodes this pillar; keep only the pillars it erodes")}

pressure:
  force: {f("why teams fall into it: the pressure that makes the shape look right at the time")}

signals:
  - {f("an observable sign that a system is in this anti-pattern")}
  - {f("another observable sign")}
symptoms: [{f("symptom ids from catalogue.yaml that this shape produces")}]

failure_edges:  # in order: the first one is what breaks first
  - fails: {f("what breaks first in production")}
    trigger: {f("what sets it off")}
    blast_radius: {f("who and what is affected")}
    detection: {f("the metric, alarm or signal that tells you, by name")}
    mitigation: {f("what limits the damage while you are still in it")}
    recovery: {f("how you get back to normal")}
  - fails: {f("what breaks next")}
    trigger: {f("what sets it off")}
    blast_radius: {f("who and what is affected")}
    detection: {f("the metric, alarm or signal that tells you, by name")}
    mitigation: {f("what limits the damage while you are still in it")}
    recovery: {f("how you get back to normal")}
  - fails: {f("what breaks after that")}
    trigger: {f("what sets it off")}
    blast_radius: {f("who and what is affected")}
    detection: {f("the metric, alarm or signal that tells you, by name")}
    mitigation: {f("what limits the damage while you are still in it")}
    recovery: {f("how you get back to normal")}

refactor_to:  # the first step first; each must name a pattern of this catalogue
  - pattern: {f("the slug of a pattern to refactor toward")}
    why: {f("what moving to it removes of this anti-pattern, and where to start")}

tolerable_when:
  - {f("a situation where living with this shape is a reasonable choice")}

diagrams:
  - id: overview
    title: {f("what the diagram shows")}
    caption: {f("one sentence under the diagram")}
    alt: {f("the picture in words, for screen readers")}
    direction: LR
    nodes:
      - {{id: client, label: Client, kind: onprem.client.Client}}
      - {{id: service, label: {f("a component")}, kind: {f("a node kind such as aws.compute.Lambda")}}}
    edges:
      - {{from: client, to: service, label: request}}
"""


def _anti_pattern_md() -> str:
    sections = {
        "Shape": "describe the shape as it is found in production: its components, how requests or data move "
                 "through it, and what a newcomer would notice first",
        "Way out": "give the order of work that leaves the shape: the first safe step, the patterns it moves "
                   "toward, and how to tell that each step has worked",
    }
    return "\n".join(f"## {title}\n\n{SCAFFOLD_MARKER}: {text}.\n" for title, text in sections.items())


def _solution_md() -> str:
    sections = {
        "Components": "name each component of the pattern and what it is responsible for, with the managed "
                      "services or libraries that usually play each part and the settings that matter",
        "Flow": "walk through a request or a unit of data from start to finish, step by step, including what "
                "happens on the failure path and where state is kept between steps",
        "Boundaries": "say what the pattern does not do, which neighbouring patterns take over at its edges, "
                      "and which guarantees a reader must not assume it gives",
    }
    return "\n".join(f"## {title}\n\n{SCAFFOLD_MARKER}: {text}.\n" for title, text in sections.items())


def scaffold_bundle(catalogue_root: Path, catalogue: CatalogueFile, slug: str, *, title: str | None,
                    category: str, kind: str = "pattern") -> Path:
    """Write ``catalogue_root/slug/`` with both bundle files; refuse to overwrite.
    ``kind`` is ``pattern`` or ``anti-pattern``. The JSON Schema its modeline names
    is written too when the repository lacks it."""
    if not re.fullmatch(SLUG_PATTERN.strip("^$"), slug) or len(slug) > 64:
        raise UsageError(f"'{slug}' is not a slug: use lowercase letters, digits and single hyphens")
    if slug in RESERVED_PAGE_NAMES:
        raise UsageError(f"'{slug}' is reserved: a page of that name is the listing of its folder; choose "
                         "another slug")
    categories = [c.id for c in catalogue.categories]
    if category not in categories:
        hint = did_you_mean(category, categories)
        raise UsageError(f"'{category}' is not a category in catalogue.yaml ({', '.join(categories)})"
                         + (f"; {hint}" if hint else ""))
    target = catalogue_root / slug
    if target.exists():
        raise UsageError(f"{target} already exists")
    target.mkdir()
    write_editor_schema(catalogue_root.parent, replace=False)
    title = title or slug.replace("-", " ").capitalize()
    anti = kind == "anti-pattern"
    (target / PATTERN_FILE).write_text((_anti_pattern_yaml if anti else _pattern_yaml)(title, category),
                                       encoding="utf-8")
    (target / SOLUTION_FILE).write_text(_anti_pattern_md() if anti else _solution_md(), encoding="utf-8")
    return target


def write_editor_schema(repository: Path, *, replace: bool) -> Path:
    """Put the JSON Schema where the modelines of ``pattern.yaml`` files point,
    so editors complete and check fields in any catalogue repository, not only in
    Patternbook's own. An existing file is kept unless ``replace`` is set."""
    import shutil

    from patternbook.resources import packaged_pattern_schema

    target = repository / EDITOR_SCHEMA
    if replace or not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packaged_pattern_schema(), target)
    return target


def write_starter_catalogue(target: Path, *, site_name: str, repo_url: str | None, today: str) -> list[Path]:
    """Write a catalogue repository that validates with ``--strict`` and builds
    with ``mkdocs build --strict`` as it is. Refuses a folder that holds anything."""
    from patternbook import __version__

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} exists and is not an empty folder; choose a new or empty folder for the catalogue")
    if not site_name.strip() or FORBIDDEN_CHARACTERS.search(site_name) or "\n" in site_name or "\t" in site_name:
        raise UsageError("the site's name must be one line of visible text; give one with --name")
    if repo_url is not None and not REPOSITORY_URL.fullmatch(repo_url):
        raise UsageError(f"{repo_url!r} is not a plain repository URL; give one such as "
                         "https://github.com/org/catalogue (https, a host, an owner and a repository, nothing else)")
    if repo_url:
        repository = (f"# Where the catalogue lives: \"Edit this pattern\" links are built from these (edit_uri\n"
                      f"# points at the docs folder of the default branch).\n"
                      f"repo_url: {yaml_string(repo_url.rstrip('/'))}\n"
                      "edit_uri: edit/main/docs/\n")
    else:
        repository = ("# Uncomment to turn on \"Edit this pattern\" links (edit_uri points at the docs folder):\n"
                      "# repo_url: https://github.com/your-org/your-catalogue\n# edit_uri: edit/main/docs/\n")
    # The name is text wherever it lands: a YAML string in mkdocs.yml, literal Markdown in the README.
    values = {"@@SITE_NAME_YAML@@": yaml_string(site_name), "@@SITE_NAME@@": markdown_text(site_name),
              "@@REPOSITORY@@": repository, "@@VERSION@@": __version__,
              "@@HOOK_REV@@": HOOK_REV, "@@TODAY@@": today}
    written: list[Path] = []
    for source in sorted(path for path in STARTER.rglob("*") if path.is_file()):
        if "__pycache__" in source.parts:
            continue
        text = source.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        destination = target / source.relative_to(STARTER)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
        written.append(destination)
    written.append(write_editor_schema(target, replace=True))
    return written
