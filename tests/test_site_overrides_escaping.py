"""The theme overrides print the site's settings as text: a ``site_name`` or a
``repo_url`` holding markup renders escaped (Material's own partials print them raw)."""

from __future__ import annotations

from html.parser import HTMLParser
from types import SimpleNamespace

import jinja2
import pytest

from patternbook.postbuild.csp import shipped_template_dirs
from patternbook.resources import packaged_theme_overrides

NAME = '<script>alert(1)</script><img src=x onerror=alert(2)> "q"'
REPO = 'https://example.test/o/r"><script>alert(3)</script>'


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)


@pytest.mark.parametrize("partial", ["partials/header.html", "partials/nav.html", "partials/source.html"])
def test_partials_print_the_site_name_and_repository_as_text(partial: str) -> None:
    material = next((d for d in shipped_template_dirs() if d.parent.name == "material"), None)
    if material is None:
        pytest.skip("Material is not installed")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader([packaged_theme_overrides(), material]))
    environment.filters["url"] = lambda value: value
    config = {"site_name": NAME, "repo_url": REPO, "repo_name": NAME, "extra": {},
              "theme": {"icon": {}, "palette": {}, "features": []}}
    html = environment.get_template(partial).render(
        config=config, features=[], lang=SimpleNamespace(t=lambda key: key),
        nav=SimpleNamespace(homepage=SimpleNamespace(url="."), items=[]), page=None)
    elements = _Elements()
    elements.feed(html)
    assert not elements.tags & {"script", "img"}, html
