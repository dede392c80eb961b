"""The ``patternbook`` command.

Start-up stays fast because nothing heavy is imported until a command runs:
``patternbook --help`` loads only argparse.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

from patternbook.cli.mcp_command import add_mcp_command, run_mcp

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    """The command line. Its ``choices`` are literals so that ``--help`` starts without importing
    the schema, the engines or the renderers; tests/cli/test_parser_choices.py holds each one (and
    the validation cache's default) equal to the module that owns it."""
    from patternbook import __version__

    parser = argparse.ArgumentParser(
        prog="patternbook",
        description="Validate and publish a catalogue of architecture patterns.",
        epilog="Run 'patternbook COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"patternbook {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check bundles against the schema and the catalogue rules",
        description="Check pattern bundles and print every problem as path:line:col: CODE field: message. "
                    "Exit status: 0 valid, 1 invalid, 2 usage error.")
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                          help="the catalogue folder or bundle folders (default: patterns)")
    validate.add_argument("--format", choices=("text", "json", "github"), default="text",
                          help="output format; 'github' writes pull-request annotations (default: text)")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("-q", "--quiet", action="store_true", help="print errors only, no summary")
    validate.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                          help="colour the text format: auto colours a terminal unless NO_COLOR is set")
    validate.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                          help="the date review deadlines are checked against (default: today)")
    validate.add_argument("--changed-since", metavar="REF",
                          help="check only bundles changed since the git REF (and the patterns they relate "
                               "to), plus the cross-bundle rules; everything if catalogue.yaml changed")
    validate.add_argument("--cache", type=Path, default=Path(".cache/patternbook/validation.json"), metavar="FILE",
                          help="where each bundle's own checks are remembered by the bytes they read, so an "
                               "unchanged bundle is not checked again (default: .cache/patternbook/validation.json)")
    validate.add_argument("--no-cache", action="store_true", help="check every bundle; read and write no cache")

    init = commands.add_parser(
        "init", help="start a catalogue repository: site config, starter vocabulary, an example pattern, CI",
        description="Write a catalogue repository into DIR (new or empty): mkdocs.yml, patterns/catalogue.yaml "
                    "with a starter vocabulary, one example pattern, the JSON Schema for editors, "
                    ".pre-commit-config.yaml, pull-request and deploy workflows and a README. It validates with "
                    "--strict and builds with 'mkdocs build --strict' as written.")
    init.add_argument("directory", nargs="?", type=Path, default=Path("."), metavar="DIR",
                      help="where to write the catalogue (default: the current folder, if empty)")
    init.add_argument("--name", metavar="TEXT", help="the site's name (default: from the folder name)")
    init.add_argument("--repo-url", metavar="URL",
                      help="the catalogue's repository, e.g. https://github.com/org/catalogue: turns on "
                           "'Edit this pattern' links")

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of pattern.yaml (for editors)",
        description="Print the JSON Schema generated from the pattern models.")
    schema.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write to FILE instead of stdout (missing folders are created)")
    new = commands.add_parser(
        "new", help="scaffold a pattern bundle to fill in",
        description="Create patterns/SLUG/ with pattern.yaml and solution.md. Every value to write holds a "
                    "placeholder that fails validation until it is replaced.")
    new.add_argument("slug", metavar="SLUG", help="the pattern's folder name, kebab-case")
    new.add_argument("--title", help="the pattern's title (default: from the slug)")
    new.add_argument("--category", required=True, help="a category id from catalogue.yaml")
    new.add_argument("--kind", choices=("pattern", "anti-pattern"), default="pattern",
                     help="a pattern to adopt (default) or an anti-pattern to recognise and leave")
    new.add_argument("--catalogue", type=Path, default=Path("patterns"), metavar="DIR",
                     help="the catalogue folder (default: patterns)")

    links = commands.add_parser(
        "check-links", help="check companion repositories at their pinned commits (needs network; opt-in)",
        description="For every companion repository entry, ask the GitHub API whether the repository, the "
                    "pinned commit (ref) and the path at that commit exist, and how many commits the default "
                    "branch has moved since the pin. At most one request per --delay seconds; answers are "
                    "cached for a week; GITHUB_TOKEN, when set, raises the API rate limit. Then fetch each "
                    "pinned commit with git and report the retired runtimes and frameworks it uses (AWS Lambda "
                    "runtimes, AWS CDK v1, ...) from the dated list shipped with Patternbook, and whether the "
                    "entry's retired_runtimes flags them on the page. Exit 1 when an entry is broken or a "
                    "retired runtime is not flagged. Without network the checks are skipped, exit 0.")
    links.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="catalogue or bundles (default: patterns)")
    links.add_argument("--delay", type=float, default=1.0, help="seconds between requests (default: 1)")
    links.add_argument("--cache", type=Path, default=Path(".cache/patternbook/links.json"), metavar="FILE",
                       help="where answers are cached (default: .cache/patternbook/links.json)")
    links.add_argument("--api-url", default=None, metavar="URL",
                       help="base URL of the GitHub REST API (default: https://api.github.com)")
    links.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                       help="text for a terminal, markdown for an issue or job summary, json for tools")
    links.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                       help="the date a runtime's retirement is checked against (default: today)")
    links.add_argument("--no-runtimes", action="store_true",
                       help="check links only; do not fetch the pinned commits to look for retired runtimes")
    links.add_argument("--clone-base", metavar="URL_OR_DIR",
                       help="fetch repositories from OWNER/NAME under this base instead of their own URL "
                            "(a mirror or a local folder)")

    build = commands.add_parser(
        "build", help="build the library into a static site with MkDocs, ProperDocs or Zensical",
        description="Validate the catalogue and build the site into SITE (default: site_dir of the configuration, "
                    "else site/). MkDocs (the default) builds with the Patternbook plugin; ProperDocs and "
                    "Zensical build what 'patternbook export' writes, in the cache folder. Either way "
                    "Patternbook's post-build stage (feed, llms.txt, search index, Content-Security-Policy) "
                    "runs once, and the new site replaces the old one only when everything succeeded. "
                    "ProperDocs and Zensical are optional: pip install 'patternbook[properdocs]' or "
                    "'patternbook[zensical]'. Exit status: 0 built, 1 invalid catalogue or failed build, "
                    "2 usage error.")
    build.add_argument("--engine", choices=("mkdocs", "properdocs", "zensical"), default="mkdocs",
                       help="the static site generator (default: mkdocs)")
    build.add_argument("-d", "--site-dir", type=Path, metavar="SITE",
                       help="where to write the site (replaced; default: the configuration's site_dir)")
    build.add_argument("--strict", action="store_true",
                       help="fail on warnings, Patternbook's (an overdue review, an unmirrored relation) and "
                            "the engine's")
    build.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                       help="the site configuration (default: mkdocs.yml)")

    export = commands.add_parser(
        "export", help="write the library as plain Markdown and assets for any mkdocs.yml engine or Backstage",
        description="Validate, render diagrams and pages, and write DIR/mkdocs.yml, DIR/docs/ and the theme "
                    "overrides, so the library builds with plain MkDocs, ProperDocs or Zensical. With --techdocs, "
                    "write what Backstage's TechDocs builds instead: DIR/mkdocs.yml with only the techdocs-core "
                    "plugin, DIR/docs/ and DIR/catalog-info.yaml (a Component whose docs are DIR).")
    export.add_argument("target", type=Path, metavar="DIR", help="output folder (replaced)")
    export.add_argument("--config", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                        help="the site configuration to export from (default: mkdocs.yml)")
    export.add_argument("--techdocs", action="store_true",
                        help="write for Backstage's TechDocs (mkdocs-techdocs-core, no Patternbook installed there)")
    export.add_argument("--owner", metavar="ENTITY_REF",
                        help="with --techdocs: the owner in catalog-info.yaml, such as group:default/platform-team "
                             "(default: unknown)")
    serve = commands.add_parser(
        "serve", help="preview the library while you edit: an edited pattern's page updates within a second",
        description="Build the library once into a preview folder (under .cache/, never the site folder), serve "
                    "it with live reload and keep it current: saving a pattern's files re-validates that bundle "
                    "and re-renders its page (or a page listing its problems) at once; a full build then updates "
                    "the pages that list it. Ctrl+C (or SIGTERM) stops it.")
    serve.add_argument("--engine", choices=("mkdocs", "properdocs", "zensical"), default="mkdocs",
                       help="the site engine (default: mkdocs; the others run 'patternbook build --engine' per change, "
                            "whole site, seconds rather than under one)")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                       help="address to serve on (default: 127.0.0.1:8000; port 0 picks a free one)")
    serve.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                       help="the site configuration (default: mkdocs.yml)")
    add_mcp_command(commands)

    diff = commands.add_parser(
        "diff", help="what changed in the catalogue between two git refs, field by field",
        description="Compare the catalogue at git ref BASE with HEAD (another ref; default: the working tree) "
                    "and print what a reviewer needs: patterns added, removed or renamed; failure edges added, "
                    "removed or reordered; cost, status, relations, repository refs and prose that changed.")
    diff.add_argument("base", metavar="BASE", help="the git ref to compare from (e.g. origin/main)")
    diff.add_argument("head", nargs="?", metavar="HEAD", help="the git ref to compare to (default: the working tree)")
    diff.add_argument("--catalogue", type=Path, default=Path("patterns"), metavar="DIR",
                      help="the catalogue folder in the working tree (default: patterns)")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      help="text for a terminal, markdown for a job summary or pull-request comment, json for tools")
    return parser


def _run_mcp(arguments: argparse.Namespace) -> int:
    from patternbook.errors import ValidationFailed

    try:
        run_mcp(arguments)
    except ValidationFailed as failure:
        print(f"patternbook mcp: the catalogue does not validate:\n{failure}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _run_serve(arguments: argparse.Namespace) -> int:
    from patternbook.errors import UsageError

    host, _, port = arguments.dev_addr.rpartition(":")
    if not host or not (port.isascii() and port.isdigit()):  # int('²') would raise; the range is checked on binding
        raise UsageError(f"--dev-addr '{arguments.dev_addr}' is not HOST:PORT (for example 127.0.0.1:8000)")
    if not arguments.config_file.is_file():
        raise UsageError(f"{arguments.config_file}: no such file; run this next to mkdocs.yml or name it with --config")
    from patternbook.serve import serve

    return serve(arguments.config_file, host, int(port), arguments.engine)


def _run_diff(arguments: argparse.Namespace) -> int:
    from patternbook.catalogue_diff import diff_git_refs, render_diff

    result = diff_git_refs(arguments.catalogue, arguments.base, arguments.head)
    # Each format escapes contributor text for its own reader: the text format for terminals and
    # CI logs, Markdown for job summaries (escape_gfm_text), JSON for parsers.
    sys.stdout.write(render_diff(result, arguments.format))
    return EXIT_OK


def _run_new(arguments: argparse.Namespace) -> int:
    from patternbook.errors import UsageError
    from patternbook.loader import CATALOGUE_FILE, load_catalogue_source
    from patternbook.scaffold import scaffold_bundle
    from patternbook.validation import validate_catalogue_file

    root = arguments.catalogue
    if not (root / CATALOGUE_FILE).is_file():
        raise UsageError(f"{root}: not a catalogue folder (no {CATALOGUE_FILE}); run this in a catalogue "
                         "repository, name the folder with --catalogue, or start one with 'patternbook init'")
    catalogue, _ = validate_catalogue_file(load_catalogue_source(root).document)
    if catalogue is None:
        raise UsageError(f"{root / CATALOGUE_FILE} does not validate; run 'patternbook validate' first")
    target = scaffold_bundle(root, catalogue, arguments.slug, title=arguments.title, category=arguments.category,
                             kind=arguments.kind)
    print(f"created {target}/pattern.yaml and solution.md; replace every 'TODO(fill in)', then run:\n"
          f"  patternbook validate {target}")
    return EXIT_OK


def _run_init(arguments: argparse.Namespace) -> int:
    from patternbook.pipeline.build import build_date
    from patternbook.scaffold import write_starter_catalogue

    target = arguments.directory
    name = arguments.name or (target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize()
                              or "Architecture patterns")
    written = write_starter_catalogue(target, site_name=name, repo_url=arguments.repo_url,
                                      today=build_date().isoformat())
    where = "" if target.resolve() == Path.cwd().resolve() else f"  cd {target}\n"
    print(f"wrote {len(written)} files to {target}; next:\n{where}"
          "  patternbook validate --strict\n  mkdocs serve")
    return EXIT_OK


def _run_export(arguments: argparse.Namespace) -> int:
    from patternbook.errors import UsageError, ValidationFailed
    from patternbook.pipeline.export import export_library
    from patternbook.pipeline.site_config import read_site_config

    if arguments.owner is not None and not arguments.techdocs:
        raise UsageError("--owner names the owner in catalog-info.yaml; it goes with --techdocs")
    site = read_site_config(arguments.config)
    target = arguments.target.resolve()
    if target in (Path.cwd().resolve(), site.path.resolve().parent) or target in site.path.resolve().parents:
        raise UsageError(f"{arguments.target}: refusing to replace a folder that holds the project")
    progress = _progress_line("rendering diagrams")
    try:
        if arguments.techdocs:
            from patternbook.engines.techdocs import DEFAULT_OWNER, export_techdocs

            build = export_techdocs(site, target, progress, owner=arguments.owner or DEFAULT_OWNER)
        else:
            build = export_library(site, target, progress)
    except ValidationFailed as failure:
        print(str(failure))
        return EXIT_INVALID
    if progress is not None:
        progress(0, 0)
    print(f"exported {len(build.plan.pages)} pages and {len(build.assets)} diagrams to {arguments.target}")
    return EXIT_OK


def _run_build(arguments: argparse.Namespace) -> int:
    from patternbook.engines import EngineFailed, build_site
    from patternbook.errors import ValidationFailed

    progress = _progress_line("rendering diagrams")
    try:
        site = build_site(arguments.engine, arguments.config_file, arguments.site_dir, strict=arguments.strict,
                          progress=progress)
    except ValidationFailed as failure:
        print(str(failure))
        print(f"patternbook build: the catalogue does not validate{' (--strict)' if arguments.strict else ''}; "
              "the previous site is unchanged", file=sys.stderr)
        return EXIT_INVALID
    except EngineFailed as failure:
        print(f"patternbook build: {failure}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        if progress is not None:
            progress(0, 0)
    print(f"built the library with {arguments.engine} into {site or 'the site_dir of ' + str(arguments.config_file)}")
    return EXIT_OK


def _run_validate(arguments: argparse.Namespace) -> int:
    from patternbook.cli.reporters import REPORTERS
    from patternbook.validation import validate_paths

    paths = arguments.paths or [Path("patterns")]
    if arguments.changed_since:
        paths = _changed_paths(paths, arguments.changed_since)
        if not paths:
            print(f"no bundles changed since {arguments.changed_since}")
            return EXIT_OK
    progress = _progress_line("checking bundles") if arguments.format == "text" and not arguments.quiet else None
    report = validate_paths(paths, today=arguments.today, strict=arguments.strict, keep_models=False,
                            progress=progress, cache_file=None if arguments.no_cache else arguments.cache)
    if progress is not None:
        progress(0, 0)
    color = arguments.color == "always" or (
        arguments.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    output = REPORTERS[arguments.format](report.diagnostics, len(report.bundles), arguments.quiet, color)
    if output:
        print(output)
    return EXIT_OK if report.ok else EXIT_INVALID


def _progress_line(label: str):
    """A one-line counter on an interactive terminal; nothing in CI logs or pipes."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    state = {"shown": False}

    def show(done: int, total: int) -> None:
        if total == 0:  # finished: clear the line
            if state["shown"]:
                sys.stderr.write("\r\033[K")
            return
        if total >= 100 and (done % 25 == 0 or done == total):
            sys.stderr.write(f"\r{label} {done}/{total}")
            sys.stderr.flush()
            state["shown"] = True

    return show


def _changed_paths(paths: list[Path], ref: str) -> list[Path]:
    """The bundles changed since ``ref`` plus the bundles they relate to, or the
    whole catalogue when that is the only safe answer."""
    from patternbook.cli.changes import changed_bundle_folders
    from patternbook.loader import find_catalogue_root, load_bundle

    root = find_catalogue_root(paths[0])
    changed = changed_bundle_folders(root, ref)
    if changed is None:
        return [root]
    wanted = set(changed)
    for folder in changed:
        document = load_bundle(folder).pattern
        data = document.data if document and isinstance(document.data, dict) else {}
        # An anti-pattern's refactor_to names patterns just as relations do.
        links = [item for key in ("relations", "refactor_to") if isinstance(data.get(key), list) for item in data[key]]
        for relation in links:
            target = relation.get("pattern") if isinstance(relation, dict) else None
            if isinstance(target, str) and (root / target).is_dir():
                wanted.add(root / target)
    return sorted(wanted)


def _run_check_links(arguments: argparse.Namespace) -> int:
    from patternbook.companions.pins import DEFAULT_API_URL, PinnedEntry, check_entries
    from patternbook.companions.report import needs_action, render_report
    from patternbook.companions.runtimes import ScanTarget, scan_repositories
    from patternbook.validation import validate_paths

    report = validate_paths(arguments.paths or [Path("patterns")])
    entries = {PinnedEntry(slug, r.url, r.ref, r.path): r
               for slug, pattern in report.patterns.items() for r in pattern.repositories}
    results = check_entries(entries, arguments.cache, api_url=arguments.api_url or DEFAULT_API_URL,
                            delay=arguments.delay)
    today = arguments.today or datetime.date.today()
    scans = []
    if not arguments.no_runtimes:
        # A missing commit cannot be read, and without network git cannot fetch it either.
        readable = [r.entry for r in results if not r.broken and r.skipped != "network unreachable"]
        scans = scan_repositories([ScanTarget(e.pattern, e.url, e.ref, e.path, tuple(entries[e].retired_runtimes))
                                   for e in readable], arguments.cache.parent / "repositories", on=today,
                                  clone_base=arguments.clone_base)
    offline = [r for r in results if r.skipped == "network unreachable"]
    if offline:
        noun = "entry" if len(results) == 1 else "entries"
        print(f"network unreachable: skipped {len(offline)} of {len(results)} {noun}", file=sys.stderr)
    sys.stdout.write(render_report(results, scans, arguments.format, on=today))
    return EXIT_INVALID if needs_action(results, scans) else EXIT_OK


def _run_schema(arguments: argparse.Namespace) -> int:
    import json

    from patternbook.schema import pattern_json_schema

    text = json.dumps(pattern_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if arguments.output:
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        arguments.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


COMMANDS = {"validate": _run_validate, "build": _run_build, "serve": _run_serve, "schema": _run_schema,
            "new": _run_new, "init": _run_init, "export": _run_export, "check-links": _run_check_links,
            "mcp": _run_mcp, "diff": _run_diff}


def main(argv: list[str] | None = None) -> int:
    from patternbook.errors import PatternbookError

    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[arguments.command](arguments)
    except PatternbookError as error:
        from patternbook.escaping import terminal_text

        # Messages quote paths and values from the catalogue: terminal text, line by line.
        print(f"patternbook: error: {terminal_text(str(error), keep_newlines=True)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`patternbook validate | head`): not an error of ours.
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_INVALID
    except Exception:  # a bug in Patternbook, not in the user's content: the one place for a traceback
        import traceback

        traceback.print_exc()
        print("patternbook: internal error; this is a bug in Patternbook, please report it with the "
              "traceback above", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:  # console-script entry point
    sys.exit(main())
