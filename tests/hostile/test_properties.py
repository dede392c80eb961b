"""Property-based tests: whatever the input, the only outcomes are a valid model
or positioned diagnostics, and rendered prose only links to allowed schemes."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patternbook.errors import Diagnostic
from patternbook.loader import SourceText, load_bundle, parse_yaml
from patternbook.pages import render_prose
from patternbook.validation import validate_bundle
from patternbook.validation.markdown_rules import url_is_allowed

CASE = Path(__file__).parents[1] / "validation" / "cases" / "positive" / "minimal-valid"
YAML_PIECES = st.sampled_from([
    "a: 1\n", "- x\n", "key: [1, 2\n", "&a x\n", "*a\n", "!!python/object:os.system x\n", "b: NO\n", "? [x]\n: y\n",
    "c: 'quoted'\n", "d: |\n  block\n", "e: {f: g}\n", "\t", "---\n", "...\n", "%YAML 1.1\n", ": x\n", "k: 22:22\n",
    "title: x\n", "tags: [a, a]\n", "  nested: x\n", "\u202e", "\x00", "#comment\n", "x: 2026-13-45\n",
])


def _assert_positioned(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1 and diagnostic.code.startswith("PB")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.one_of(YAML_PIECES, st.text(max_size=30)), max_size=25))
def test_yaml_loader_returns_data_or_diagnostics(pieces: list[str]) -> None:
    diagnostics: list[Diagnostic] = []
    document = parse_yaml(SourceText(Path("fuzz.yaml"), "fuzz.yaml", "".join(pieces)), diagnostics)
    _assert_positioned(diagnostics)
    if document is None:
        assert diagnostics
    else:
        for path, (line, column) in document.values.items():
            assert isinstance(path, tuple) and line >= 1 and column >= 1


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(replacement=st.one_of(st.text(max_size=60), st.integers(), st.booleans(), st.none(),
                             st.lists(st.text(max_size=10), max_size=3)),
       field=st.sampled_from(["title", "summary", "category", "tags", "status", "owners", "last_reviewed",
                              "review_interval_days", "pillars", "pressure", "when_to_use", "failure_edges",
                              "cost", "repositories", "relations", "diagrams", "unknown_field"]))
def test_validation_returns_a_model_or_positioned_diagnostics(tmp_path_factory, replacement, field) -> None:
    bundle_dir = tmp_path_factory.mktemp("fuzz") / "minimal-valid"
    shutil.copytree(CASE, bundle_dir)
    bundle = load_bundle(bundle_dir)
    bundle.pattern.data[field] = replacement
    pattern, diagnostics = validate_bundle(bundle, None)
    _assert_positioned(diagnostics)
    assert (pattern is None) == any(d.is_error for d in diagnostics)


class _Attributes(HTMLParser):
    """Real tags and attributes of rendered HTML (text that merely looks like a tag is not one)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
MARKDOWN_PIECES = st.sampled_from([
    "[a](javascript:alert(1))", "[b](JaVaScRiPt:x)", "[c](java&#115;cript:x)", "![d](data:text/html,x)",
    "[e][r]\n\n[r]: vbscript:x\n", "<a href='javascript:x'>f</a>", "<img src=x onerror=alert(1)>", "[g](https://ok.test/)",
    "[h](//evil.test/)", "[i](mailto:a@b.test)", "[j](../relative/)", "<script>alert(1)</script>", "`code`",
    "\n\n", "# H\n", "- item\n", "> quote\n", "*em*", "[k](\tjavascript:x)", "<https://auto.test/>",
])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=20)), max_size=20))
def test_rendered_prose_only_links_to_allowed_schemes(pieces: list[str]) -> None:
    parsed = _Attributes()
    parsed.feed(render_prose(" ".join(pieces)))
    for name, value in parsed.attributes:
        assert not name.startswith("on"), name
        if name in ("href", "src"):
            assert url_is_allowed(value) and not value.startswith("//"), value
    assert "script" not in parsed.tags
