"""Shared fixtures. ``pytest --update-goldens`` rewrites golden files from the
current output; review the diff before committing it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURE_CATALOGUE = TESTS / "fixtures" / "catalogue"
PROJECT = TESTS.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]
#: The date tests validate against, so review deadlines do not age the fixtures.
FIXED_TODAY = "2026-11-01"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def catalogue_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture catalogue; the working directory is its parent so
    diagnostics show short, stable paths (``catalogue/<slug>/pattern.yaml``)."""
    target = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, target)
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright, one per test process: the browser
    tests and the Mermaid checks share it (one Playwright driver per thread)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'bash scripts/test', which installs Debian's chromium package")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def mermaid(chromium: object) -> object:
    """Mermaid's own parser and renderer (npm ``mermaid``, pinned in tests/diagrams/parsers)."""
    from tests.diagrams.mermaid_in_chromium import MermaidInChromium

    return MermaidInChromium(chromium)


@pytest.fixture(scope="session")
def mxgraph(chromium: object) -> object:
    """mxGraph, the library draw.io is built on (npm ``mxgraph``, pinned in tests/diagrams/parsers)."""
    from tests.diagrams.mxgraph_in_chromium import MxGraphInChromium

    return MxGraphInChromium(chromium)


def compare_golden(actual: str, golden: Path, update: bool) -> None:
    if update or not golden.exists():
        golden.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {golden} was missing and has been written; review and rerun")
        return
    assert actual == golden.read_text(encoding="utf-8")


#: What a site build needs from the project; copied so tests can break bundles freely.
SITE_PARTS = ("mkdocs.yml", "patterns", "templates", "docs", "site_overrides")


#: One content-addressed diagram cache for every build of the test session, all workers
#: included: entries are written atomically and checked against their SHA-256 when read,
#: so sharing them is safe, and only the first build of a diagram pays for Graphviz.
#: Set by :func:`pytest_configure`; None until then (and in tests that want a cold cache).
SHARED_DIAGRAM_CACHE: Path | None = None


#: Sites built once for the whole run, every worker included (:func:`built_once`). Set by
#: :func:`pytest_configure`, like :data:`SHARED_DIAGRAM_CACHE`.
SHARED_BUILDS: Path | None = None

#: The environment variable naming each shared folder, and the prefix of the folder the controller makes.
_SHARED_FOLDERS = {"PATTERNBOOK_TEST_DIAGRAM_CACHE": "patternbook-test-diagrams-",
                   "PATTERNBOOK_TEST_BUILDS": "patternbook-test-builds-"}
_created_shared_folders: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """The controller makes the shared folders before xdist starts its workers, which
    inherit their addresses through the environment."""
    global SHARED_DIAGRAM_CACHE, SHARED_BUILDS
    import os
    import tempfile

    for variable, prefix in _SHARED_FOLDERS.items():
        if not os.environ.get(variable):
            os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
            _created_shared_folders.append(Path(os.environ[variable]))
    SHARED_DIAGRAM_CACHE = Path(os.environ["PATTERNBOOK_TEST_DIAGRAM_CACHE"])
    SHARED_BUILDS = Path(os.environ["PATTERNBOOK_TEST_BUILDS"])


def built_once(name: str, build: Callable[[Path], Path]) -> Path:
    """What ``build`` makes in an empty folder, made once for the whole run: the first worker to
    ask builds it while holding a lock, the others wait for the lock and read what it made. A
    build that fails writes no completion mark, so the next worker to ask starts again from an
    empty folder (and fails alike)."""
    import fcntl

    assert SHARED_BUILDS is not None, "pytest_configure makes the shared folder before any test runs"
    folder, complete = SHARED_BUILDS / name, SHARED_BUILDS / f"{name}.complete"
    with (SHARED_BUILDS / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not complete.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            complete.write_text(str(build(folder)), encoding="utf-8")
        return Path(complete.read_text(encoding="utf-8"))


#: Fixtures that build a real site or start Chromium: a test using one is slow whatever its marks say.
_SITE_FIXTURES = frozenset({"built_site", "preview_site", "previous_site", "site_url", "adopter"})
_BROWSER_FIXTURES = frozenset({"chromium", "browser", "mermaid", "mxgraph"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by the fixtures they use, so ``scripts/test --fast`` cannot pull a slow one in."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & _SITE_FIXTURES:
            item.add_marker(pytest.mark.site)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _created_shared_folders:
        shutil.rmtree(folder, ignore_errors=True)


#: A valid bundle the small catalogue adds to the fixture catalogue: tests poison its fields.
MINIMAL_VALID = TESTS / "validation" / "cases" / "positive" / "minimal-valid"


def copy_project(target: Path, *, small: bool = False, shared_diagram_cache: bool = True) -> Path:
    """The parts of the project a site build reads, copied to ``target``.

    ``small``: the fixture catalogue plus ``minimal-valid`` instead of the shipped
    catalogue, for tests where any valid catalogue will do (a build in a second,
    not ten). The diagram cache is the session's shared one unless
    ``shared_diagram_cache`` is False (a cold build)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        source = PROJECT / part
        if small and part == "patterns":
            shutil.copytree(FIXTURE_CATALOGUE, target / part)
            shutil.copytree(MINIMAL_VALID, target / part / "minimal-valid",
                            ignore=shutil.ignore_patterns("expected.txt"))
        elif source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    if shared_diagram_cache and SHARED_DIAGRAM_CACHE is not None:
        (target / ".cache" / "patternbook").mkdir(parents=True, exist_ok=True)
        (target / ".cache" / "patternbook" / "diagrams").symlink_to(SHARED_DIAGRAM_CACHE, target_is_directory=True)
    return target


def shared_cache_dir(target: Path) -> Path:
    """A cache folder for an in-process ``build_library`` whose diagrams are the session's
    shared cache (as :func:`copy_project` gives a site build): a diagram another build of the
    session drew already is read, not drawn again."""
    target.mkdir(parents=True, exist_ok=True)
    if SHARED_DIAGRAM_CACHE is not None:
        (target / "diagrams").symlink_to(SHARED_DIAGRAM_CACHE, target_is_directory=True)
    return target


def inline_downloads(site: Path) -> dict[str, str]:
    """The downloads a built site's pattern pages carry as ``data:`` links (Mermaid, DOT),
    decoded, by the file name a browser saves them as (``<slug>--<diagram id>.mmd``)."""
    import re
    from urllib.parse import unquote

    link = re.compile(r'<a href="data:text/plain;charset=utf-8,([^"]*)" download="([^"]+)"')
    return {name: unquote(data) for page in sorted((site / "patterns").glob("*/index.html"))
            for data, name in link.findall(page.read_text(encoding="utf-8"))}


def mkdocs_build(project: Path, site_dir: Path, *extra: str, env: dict[str, str] | None = None):
    """A real ``mkdocs build --strict`` in a subprocess, as CI and the README run it."""
    import os
    import subprocess
    import sys

    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         "-d", str(site_dir), *extra],
        cwd=project, capture_output=True, text=True, timeout=300, env=environment)


def patternbook_build(project: Path, site: Path, *extra: str, env: dict[str, str] | None = None,
                      python: str | None = None):
    """A real ``patternbook build`` in a subprocess, as scripts/build and the README run it, by this
    interpreter or by ``python`` (another environment's, such as the MaterialX one)."""
    import os
    import subprocess
    import sys

    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1", **(env or {})}
    return subprocess.run([python or sys.executable, "-m", "patternbook", "build", "-d", str(site), *extra],
                          cwd=project, capture_output=True, text=True, timeout=600, env=environment)


def shipped_site() -> Path:
    """The shipped catalogue built as ``bash scripts/build`` builds it (``patternbook build --strict``,
    MkDocs), once per run (:func:`built_once`): the site of tests/browser and of the MkDocs run of
    tests/engines. Tests read it and never change it; one that needs a changed site copies it."""

    def build(folder: Path) -> Path:
        project = copy_project(folder / "library")
        site = project / "site"
        result = patternbook_build(project, site, "--engine", "mkdocs", "--strict")
        assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-4000:])
        return site

    return built_once("shipped", build)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The shipped catalogue built once per test session."""
    return shipped_site()


def _git(repository: Path, *arguments: str, when: str | None = None) -> None:
    import subprocess

    environment = {"PATH": "/usr/bin:/bin", "HOME": str(repository), "GIT_CONFIG_NOSYSTEM": "1"}
    if when:
        environment |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *arguments], cwd=repository,
                   check=True, capture_output=True, env=environment)


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small catalogue with a git history of two commits, built as the preview of pull request 42."""
    project = copy_project(tmp_path_factory.mktemp("preview") / "library", small=True)
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "Start the catalogue", when="2026-01-05T10:00:00+00:00")
    bundle = project / "patterns" / "minimal-valid" / "pattern.yaml"
    bundle.write_text(bundle.read_text().replace("last_reviewed: 2026-10-01", "last_reviewed: 2026-10-20"))
    _git(project, "commit", "-q", "-am", "Re-review <the> minimal pattern", when="2026-03-01T09:00:00+00:00")
    site = project / "site"
    result = mkdocs_build(project, site, env={"PATTERNBOOK_PREVIEW_PR": "42", "SOURCE_DATE_EPOCH": "1795000000"})
    assert result.returncode == 0, result.stderr[-4000:]
    return site


@pytest.fixture(scope="session")
def browser(chromium: object) -> object:
    """The Chromium of tests/browser and tests/engines: the same instance as ``chromium``,
    since Playwright's synchronous API cannot start a second driver beside a running one."""
    return chromium
