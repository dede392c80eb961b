"""A Content-Security-Policy on every built page: defence in depth.

Escaping keeps contributor text from becoming markup; should it ever fail, the
browser must still refuse to run anything the site did not ship. Every HTML
page gets a ``<meta http-equiv="Content-Security-Policy">`` as the first child
of ``<head>``, allowing scripts only from the site itself plus the inline
scripts Patternbook and the theme wrote, each by its SHA-256 hash.

Which inline scripts those are is *known content*, never whatever the finished
pages happen to hold: hashing every ``<script>`` found would whitelist an
injected one along with ours (a ``site_name`` printed raw by a theme partial
ran in Chromium that way). The allowed bodies are read from the templates that
write them, Patternbook's theme overrides and the theme packages' own
templates (Material's or MaterialX's, and Zensical's copy of them:
:mod:`patternbook.themes`). A template's script text
is literal except for ``{{ … }}`` expressions; only expressions known to hold
a relative URL (``base_url``, a site's ``extra.scope``) or a font name are
allowed, each matched by a strict pattern that cannot hold a quote, a
backslash or a ``<``, so no value can turn a known script into another. Any
other inline script (or ``<style>``) a browser would run stops the build with
an error naming the page: it was either injected, or belongs in a file
(``extra_javascript`` / ``extra_css``), where ``'self'`` allows it.

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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from patternbook.errors import PatternbookError
from patternbook.escaping import terminal_text
from patternbook.postbuild.context import PostBuildContext
from patternbook.resources import packaged_theme_overrides
from patternbook.themes import theme_template_dirs

__all__ = ["POLICY_FILE", "KnownInlineContent", "UnknownInlineContent", "content_security_policy",
           "known_inline_content", "policy_for", "shipped_template_dirs", "ships_webassembly", "with_policy",
           "write_content_security_policy"]

POLICY_FILE = "content-security-policy.txt"

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
# Attribute names start after white space: ``data-src`` or ``data-type`` are other attributes.
_SOURCE = re.compile(r"(?:^|\s)src\s*=", re.I)
_TYPE = re.compile(r"""(?:^|\s)type\s*=\s*["']?([^"'\s>]+)""", re.I)
#: Script types a browser runs; anything else (``application/json`` config) is data.
_EXECUTABLE_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_EXISTING = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.I)

#: A relative URL as ``base_url`` renders it (``.``, ``../..``, ``/`` or a site's path): no scheme,
#: no host (no leading ``//``), no quote, backslash, ``<`` or white space.
_RELATIVE_URL = r"(?!//)[A-Za-z0-9._~%/-]*"
#: A font family name (Material's ``theme.font``): letters, digits and spaces only.
_FONT_NAME = r"[A-Za-z0-9 ]*"
#: The template expressions allowed inside a known inline script or style, by what their value
#: may hold. An expression not listed here (``page.meta.location``, an analytics ``property``)
#: leaves its script unknown: a site cannot get it hashed.
_EXPRESSION_VALUES = {
    "base_url": _RELATIVE_URL,
    "config.extra.scope | d(base_url)": _RELATIVE_URL,
    "config.extra.scope | d(base_url, true)": _RELATIVE_URL,
    "text": _FONT_NAME,
    "code": _FONT_NAME,
}
_TEMPLATE_ELEMENT = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
_TEMPLATE_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)


def _sha256(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def _executable(attributes: str) -> bool:
    """An inline script element a browser runs: no ``src``, and a JavaScript type or none."""
    if _SOURCE.search(attributes):
        return False
    declared = _TYPE.search(attributes)
    return (declared.group(1).lower() if declared else "") in _EXECUTABLE_TYPES


def _body_pattern(template_body: str) -> str | None:
    """The regular expression a template's script or style text renders to, or None when
    the text holds anything but literal text and allowed ``{{ … }}`` expressions."""
    if "{%" in template_body or "{#" in template_body:
        return None  # conditional or commented text: not a single known body
    parts = _TEMPLATE_EXPRESSION.split(template_body)
    pattern = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pattern.append(re.escape(part))
            continue
        expression = " ".join(part.split())
        if expression not in _EXPRESSION_VALUES:
            return None  # also `{{- … -}}`, whose white-space stripping is not modelled
        pattern.append(_EXPRESSION_VALUES[expression])
    return "".join(pattern)


@dataclass(frozen=True)
class KnownInlineContent:
    """The inline script and style bodies Patternbook and the theme write, as full-match patterns."""

    scripts: re.Pattern[str]
    styles: re.Pattern[str]

    def script_is_known(self, body: str) -> bool:
        return self.scripts.fullmatch(body) is not None

    def style_is_known(self, body: str) -> bool:
        return self.styles.fullmatch(body) is not None


def _alternation(patterns: Iterable[str]) -> re.Pattern[str]:
    unique = sorted(set(patterns))
    return re.compile("|".join(f"(?:{p})" for p in unique) if unique else r"(?!)", re.S)


@cache
def known_inline_content(template_dirs: tuple[Path, ...]) -> KnownInlineContent:
    """Read every ``.html`` template under ``template_dirs`` for inline scripts and styles."""
    scripts: list[str] = []
    styles: list[str] = []
    for folder in template_dirs:
        for template in sorted(folder.rglob("*.html")):
            text = template.read_text(encoding="utf-8", errors="replace")
            for element, attributes, body in _TEMPLATE_ELEMENT.findall(text):
                if element.lower() == "script" and not _executable(attributes):
                    continue
                pattern = _body_pattern(body)
                if pattern is not None:
                    (scripts if element.lower() == "script" else styles).append(pattern)
    return KnownInlineContent(_alternation(scripts), _alternation(styles))


def shipped_template_dirs() -> tuple[Path, ...]:
    """Patternbook's theme overrides and the template folders of the installed themes
    (:func:`patternbook.themes.theme_template_dirs`), whose templates write inline scripts and styles."""
    return (packaged_theme_overrides(), *theme_template_dirs())


class UnknownInlineContent(PatternbookError):
    """A page holds an inline script or style that neither Patternbook nor the theme wrote."""


@dataclass(frozen=True)
class _Unknown:
    page: str
    element: str
    body: str

    def describe(self) -> str:
        excerpt = " ".join(self.body.split())
        excerpt = excerpt if len(excerpt) <= 80 else excerpt[:79] + "…"
        return f"{self.page}: inline <{self.element}> not written by Patternbook or the theme: {excerpt!r}"


def _inline_sources(page: str, html: str, known: KnownInlineContent) -> tuple[set[str], set[str], list[_Unknown]]:
    """The hashes of the known inline scripts and styles of one page, and every unknown one."""
    scripts: set[str] = set()
    styles: set[str] = set()
    unknown: list[_Unknown] = []
    for attributes, body in _SCRIPT.findall(html):
        if not _executable(attributes):
            continue
        if known.script_is_known(body):
            scripts.add(_sha256(body))
        else:
            unknown.append(_Unknown(page, "script", body))
    for body in _STYLE.findall(html):
        if known.style_is_known(body):
            styles.add(_sha256(body))
        else:
            unknown.append(_Unknown(page, "style", body))
    return scripts, styles, unknown


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


#: How many unknown inline elements the error lists before counting the rest.
_SHOWN_UNKNOWN = 10


def content_security_policy(context: PostBuildContext) -> None:
    """Post-build step: :func:`write_content_security_policy` on the built site."""
    if context.serving:
        return  # `mkdocs serve` injects its own inline live-reload script into every page it serves
    write_content_security_policy(context.site_dir)


def write_content_security_policy(site_dir: Path) -> None:
    """Hash the known inline scripts and styles of every page, then put one policy on all of them;
    stop the build (:class:`UnknownInlineContent`) on any other inline script or style. Needs only
    the built site, so a site without a catalogue (the handbook) gets the same policy."""
    known = known_inline_content(shipped_template_dirs())
    pages: list[tuple[Path, str]] = []
    hashes: set[str] = set()
    styles: set[str] = set()
    unknown: list[_Unknown] = []
    for path in sorted(site_dir.rglob("*.html")):
        html = _EXISTING.sub("", path.read_text(encoding="utf-8"))
        if not _HEAD.search(html):
            continue
        pages.append((path, html))
        page_scripts, page_styles, page_unknown = _inline_sources(
            path.relative_to(site_dir).as_posix(), html, known)
        hashes |= page_scripts
        styles |= page_styles
        unknown += page_unknown
    if unknown:
        listed = [terminal_text(item.describe()) for item in unknown[:_SHOWN_UNKNOWN]]
        if len(unknown) > _SHOWN_UNKNOWN:
            listed.append(f"… and {len(unknown) - _SHOWN_UNKNOWN} more")
        raise UnknownInlineContent(
            "the site's pages hold inline script or style that the Content-Security-Policy would have to allow, "
            "but neither Patternbook nor the theme wrote it (injected through unescaped text, or added by a "
            "theme override; a script or style of the site's own belongs in a file listed in extra_javascript "
            "or extra_css):\n  " + "\n  ".join(listed))
    policy = policy_for(hashes, webassembly=ships_webassembly(site_dir), style_hashes=styles)
    for path, html in pages:
        path.write_text(with_policy(html, policy), encoding="utf-8")
    (site_dir / POLICY_FILE).write_text(policy + "\n", encoding="utf-8")
