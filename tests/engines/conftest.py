"""The shipped catalogue built once per engine through ``patternbook build``.

``built_site`` is parametrised by engine here, so every test of this folder that
uses it (directly or through ``site_url``) runs once per engine, and each engine
builds once per test session. The browser fixtures are tests/browser's own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import page, site_url  # noqa: F401  (fixtures, reused as they are; browser: tests/conftest.py)
from tests.conftest import copy_project, patternbook_build, shipped_site

ENGINES = ("mkdocs", "properdocs", "zensical")
#: Each run of the parity tests: the engine, and the theme the project's mkdocs.yml names. ProperDocs with
#: MaterialX is where a Material site goes when Material ends (5 May 2027).
COMBINATIONS = {**{engine: (engine, "material") for engine in ENGINES},
                "properdocs-materialx": ("properdocs", "materialx")}
#: The interpreter of the environment that builds MaterialX sites: MaterialX installs a package named
#: `material`, as mkdocs-material does, so it has its own (.venv-materialx, requirements/materialx.txt).
MATERIALX_PYTHON = "PATTERNBOOK_MATERIALX_PYTHON"


def _interpreter(theme: str) -> str | None:
    """The Python that builds a site with ``theme`` (None: this one). bash scripts/test always names
    the MaterialX environment, so there a missing one fails; run by hand without it, the run skips."""
    if theme != "materialx":
        return None
    python = os.environ.get(MATERIALX_PYTHON)
    if not python:
        pytest.skip(f"no MaterialX environment: bash scripts/test makes one (.venv-materialx, "
                    f"requirements/materialx.txt) and names its interpreter in {MATERIALX_PYTHON}")
    if not Path(python).is_file():
        pytest.fail(f"{MATERIALX_PYTHON}={python} does not exist (bash scripts/test makes it)")
    return python


@pytest.fixture(scope="session", params=list(COMBINATIONS))
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def built_site(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    engine_name, theme = COMBINATIONS[engine]
    if engine == "mkdocs":  # the build tests/browser uses, made the same way
        return shipped_site()
    python = _interpreter(theme)
    project = copy_project(tmp_path_factory.mktemp(f"engine-{engine}") / "library")
    if theme != "material":
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "\n  name: material\n" in text, "the project's mkdocs.yml no longer names its theme this way"
        config.write_text(text.replace("\n  name: material\n", f"\n  name: {theme}\n", 1), encoding="utf-8")
    site = project / "site"
    result = patternbook_build(project, site, "--engine", engine_name, "--strict", python=python)
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-4000:])
    return site


#: The combinations whose site is MkDocs's own, byte for byte but for the generator tag and blank lines
#: (test_parity.py proves it on every run): a browser sees the same page, so the browser tests that
#: run on MkDocs's site in tests/browser stand for them too.
SAME_SITE_AS_MKDOCS = ("properdocs",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests test_parity.py reuses run on MkDocs's site in tests/browser already, on the
    same build: here they run for the engines whose site differs from it only."""
    from tests.engines.test_parity import __all__ as reused

    same = {"mkdocs", *SAME_SITE_AS_MKDOCS}
    again = [item for item in items if item.nodeid.startswith("tests/engines/test_parity.py::")
             and getattr(item, "originalname", "") in reused
             and getattr(item, "callspec", None) is not None and item.callspec.params.get("engine") in same]
    if again:
        config.hook.pytest_deselected(items=again)
        items[:] = [item for item in items if item not in again]
