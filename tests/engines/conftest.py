"""The shipped catalogue built once per engine through ``patternbook build``.

``built_site`` is parametrised by engine here, so every test of this folder that
uses it (directly or through ``site_url``) runs once per engine, and each engine
builds once per test session. The browser fixtures are tests/browser's own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import page, site_url  # noqa: F401  (fixtures, reused as they are; browser: tests/conftest.py)
from tests.conftest import copy_project

ENGINES = ("mkdocs", "properdocs", "zensical")


def patternbook_build(project: Path, site: Path, *extra: str, env: dict[str, str] | None = None):
    """A real ``patternbook build`` in a subprocess, as scripts/build and the README run it."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "patternbook", "build", "-d", str(site), *extra],
                          cwd=project, capture_output=True, text=True, timeout=600, env=environment)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def built_site(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp(f"engine-{engine}") / "library")
    site = project / "site"
    result = patternbook_build(project, site, "--engine", engine, "--strict")
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-4000:])
    return site
