"""A Content-Security-Policy on every built page: defence in depth.

Escaping keeps contributor text from becoming markup; should it ever fail, the
browser must still refuse to run anything the site did not ship. Every HTML
page gets a ``<meta http-equiv="Content-Security-Policy">`` as the first child
of ``<head>``, allowing scripts only from the site itself plus the inline
scripts the finished HTML actually holds, each by its SHA-256 hash, computed
here, after every other step has written its HTML: whatever a theme, a search
index or a feed step adds inline is hashed generically, never listed by hand.
No ``'unsafe-inline'``, no ``'unsafe-eval'``: an injected ``onclick``, an
injected ``<script>`` or a ``javascript:`` link does not run.

The same policy goes on every page (the union of all pages' hashes), and the
exact value is written to ``content-security-policy.txt`` at the site root for
hosts that can send it as a header.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from pathlib import Path

from patternbook.postbuild.context import PostBuildContext

__all__ = ["POLICY_FILE", "content_security_policy", "inline_script_hashes", "inline_style_hashes", "policy_for",
           "ships_webassembly", "with_policy"]

POLICY_FILE = "content-security-policy.txt"

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_SOURCE = re.compile(r"\bsrc\s*=", re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
#: Script types a browser runs; anything else (``application/json`` config) is data.
_EXECUTABLE_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_EXISTING = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.I)


def inline_script_hashes(html: str) -> set[str]:
    """``'sha256-…'`` sources for every inline script a browser would run."""
    found = set()
    for attributes, body in _SCRIPT.findall(html):
        if _SOURCE.search(attributes):
            continue
        declared = _TYPE.search(attributes)
        if (declared.group(1).lower() if declared else "") not in _EXECUTABLE_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        found.add(f"'sha256-{digest}'")
    return found


def inline_style_hashes(html: str) -> set[str]:
    """``'sha256-…'`` sources for every ``<style>`` element (the discovery pages hide their
    script-only controls with one inside ``<noscript>``); style attributes stay refused."""
    return {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
            for body in _STYLE.findall(html)}


_WASM_MAGIC = b"\0asm"
_GZIP_MAGIC = b"\x1f\x8b"
_PAGEFIND_SIGNATURE = b"pagefind_dcd"
#: Files that are never WebAssembly, so their first bytes need not be read.
_NOT_WASM_SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".svg", ".png", ".txt", ".xml", ".map", ".ico"})


def ships_webassembly(site_dir: Path) -> bool:
    """Whether any file of the site is a WebAssembly module, plain or gzipped
    (a client-side search index such as Pagefind's ships one under its own
    suffix); only then may the policy let scripts compile WebAssembly."""
    for path in site_dir.rglob("*"):
        if path.suffix.lower() in _NOT_WASM_SUFFIXES or not path.is_file():
            continue
        with path.open("rb") as handle:
            head = handle.read(512)
        if head.startswith(_GZIP_MAGIC):
            try:
                head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 32)
            except zlib.error:
                continue
        # Pagefind stores its module gzipped behind a signature of its own.
        if head.removeprefix(_PAGEFIND_SIGNATURE).startswith(_WASM_MAGIC):
            return True
    return False


def policy_for(hashes: set[str], webassembly: bool = False,
               style_hashes: frozenset[str] | set[str] = frozenset()) -> str:
    """The policy, with the inline-script and inline-style hashes in a stable order.

    ``'wasm-unsafe-eval'`` (only when the site ships WebAssembly) lets the
    site's own scripts compile WebAssembly; unlike ``'unsafe-eval'`` it never
    lets a string become JavaScript."""
    scripts = " ".join(["'self'", *(["'wasm-unsafe-eval'"] if webassembly else []), *sorted(hashes)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        " ".join(["style-src 'self'", *sorted(style_hashes)]),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ])


def with_policy(html: str, policy: str) -> str:
    """``html`` with ``policy`` as the first child of its head (any earlier policy removed)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return _HEAD.sub(lambda head: f"{head.group()}\n{meta}", _EXISTING.sub("", html), count=1)


def content_security_policy(context: PostBuildContext) -> None:
    """Hash the inline scripts of every page, then put one policy on all of them."""
    if context.serving:
        return  # `mkdocs serve` injects its own inline live-reload script into every page it serves
    pages: list[tuple[Path, str]] = []
    hashes: set[str] = set()
    styles: set[str] = set()
    for path in sorted(context.site_dir.rglob("*.html")):
        html = _EXISTING.sub("", path.read_text(encoding="utf-8"))
        if not _HEAD.search(html):
            continue
        pages.append((path, html))
        hashes |= inline_script_hashes(html)
        styles |= inline_style_hashes(html)
    policy = policy_for(hashes, webassembly=ships_webassembly(context.site_dir), style_hashes=styles)
    for path, html in pages:
        path.write_text(with_policy(html, policy), encoding="utf-8")
    (context.site_dir / POLICY_FILE).write_text(policy + "\n", encoding="utf-8")
