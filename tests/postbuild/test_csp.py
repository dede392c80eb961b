"""The Content-Security-Policy step on a finished site: every inline script the
HTML holds is hashed (whoever added it), data blocks and external scripts are
not, the policy is the same on every page, and running twice changes nothing."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path

from patternbook.postbuild.context import PostBuildContext
from patternbook.postbuild.csp import POLICY_FILE, content_security_policy
from patternbook.postbuild.steps import POST_BUILD_STEPS

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<script id="__config" type="application/json">{{"base": "{base}"}}</script>
<script src="assets/app.js"></script>
<script>{inline}</script>
</head><body><p>text</p></body></html>
"""


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "deep" / "page").mkdir(parents=True)
    (site / "index.html").write_text(PAGE.format(base=".", inline="theme()"))
    # A later step (a search UI, a feed link) added its own inline script to one page.
    (site / "deep" / "page" / "index.html").write_text(PAGE.format(base="../..", inline="searchUi('é')"))
    return site


def _policy_of(html: str) -> str:
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)


def test_every_inline_script_is_hashed_and_every_page_gets_one_policy(tmp_path: Path) -> None:
    site = _site(tmp_path)
    content_security_policy(PostBuildContext(site, build=None))
    policy = (site / POLICY_FILE).read_text().strip()
    hashes = sorted([_sha("theme()"), _sha("searchUi('é')")])
    assert f"script-src 'self' {' '.join(hashes)};" in policy
    assert _sha('{"base": "."}') not in policy  # a JSON data block never runs
    for directive in ("object-src 'none'", "base-uri 'none'", "img-src 'self' data:"):
        assert directive in policy
    assert "unsafe" not in policy
    for page in (site / "index.html", site / "deep" / "page" / "index.html"):
        html = page.read_text()
        assert html.index("Content-Security-Policy") < html.index("<script")  # before anything can run
        assert _policy_of(html) == policy


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
