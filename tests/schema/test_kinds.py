"""Every bundle kind reaches every output that lists or describes bundles.

Parametrised over :data:`~patternbook.schema.terms.KIND_TITLES`, the one place that
says which kinds exist: a kind added there fails here until the fixture catalogue
holds a bundle of it and each output covers it — its page (last changed, change
history, the links to its twins), the feed, ``llms.txt``, the ``.md`` and ``.json``
twins and ``llms-full.txt``, ``catalogue.json``, the search records, the sitemap, MCP
``get_pattern`` and resources, and ``patternbook diff``. One real ``mkdocs build`` of the
small catalogue, inside a git history, serves every test of the module.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from pathlib import Path

import pytest

from patternbook.catalogue import Catalogue
from patternbook.catalogue_diff import diff_git_refs, render_diff
from patternbook.mcp_server.queries import bundle_markdown_text, get_pattern
from patternbook.postbuild.search import search_records
from patternbook.schema import BUNDLE_KINDS, kind_of
from patternbook.schema.terms import KIND_TITLES
from patternbook.validation import validate_paths
from tests.conftest import FIXED_TODAY, copy_project, mkdocs_build

pytestmark = pytest.mark.site

KINDS = list(KIND_TITLES)
CHANGE_SUBJECT = "Reword every summary"
#: MkDocs lists pages in sitemap.xml only under a ``site_url``.
SITE_URL = "https://patterns.example.test/"


def _git(repository: Path, *arguments: str, when: str) -> None:
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(repository), "GIT_CONFIG_NOSYSTEM": "1",
                   "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *arguments], cwd=repository,
                   check=True, capture_output=True, env=environment)


def _reword_summaries(catalogue_dir: Path) -> None:
    """A valid edit to every bundle: its summary says the same thing in other words."""
    for bundle in sorted(catalogue_dir.glob("*/pattern.yaml")):
        text = bundle.read_text(encoding="utf-8")
        reworded = re.sub(r"(?m)^summary: (.*)$", r"summary: In short, \1", text, count=1)
        assert reworded != text, bundle
        bundle.write_text(reworded, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small catalogue in a git history of two commits, the second editing every bundle."""
    project = copy_project(tmp_path_factory.mktemp("kinds") / "library", small=True)
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nsite_url: {SITE_URL}\n")
    _git(project, "init", "-q", "-b", "main", when="2026-01-05T10:00:00+00:00")
    _git(project, "add", "-A", when="2026-01-05T10:00:00+00:00")
    _git(project, "commit", "-q", "-m", "Start the catalogue", when="2026-01-05T10:00:00+00:00")
    _reword_summaries(project / "patterns")
    _git(project, "commit", "-q", "-am", CHANGE_SUBJECT, when="2026-03-01T09:00:00+00:00")
    return project


@pytest.fixture(scope="module")
def catalogue(project: Path) -> Catalogue:
    report = validate_paths([project / "patterns"], today=datetime.date.fromisoformat(FIXED_TODAY))
    assert report.catalogue is not None and not report.errors, report.errors
    return Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    built = project / "site"
    result = mkdocs_build(project, built, env={"SOURCE_DATE_EPOCH": "1795000000"})
    assert result.returncode == 0, result.stderr[-4000:]
    return built


def one_of(catalogue: Catalogue, kind: str):
    bundles = catalogue.of_kind(kind)
    assert bundles, f"the fixture catalogue holds no bundle of kind {kind!r}: add one to tests/fixtures/catalogue"
    return next(iter(bundles.values()))


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_described_and_held_by_the_catalogue(catalogue: Catalogue, kind: str) -> None:
    described = BUNDLE_KINDS[kind]
    assert described.title == KIND_TITLES[kind]
    bundle = one_of(catalogue, kind)
    assert isinstance(bundle, described.model) and kind_of(bundle) is described
    assert dict(catalogue.of_kind(kind)) == dict(getattr(catalogue, described.catalogue_field))
    assert all(catalogue.entries[slug] is b for slug, b in catalogue.of_kind(kind).items())


def test_every_per_kind_renderer_table_covers_exactly_the_registered_kinds() -> None:
    from patternbook.pages.agent_documents import DOCUMENT_BY_KIND, MARKDOWN_BY_KIND
    from patternbook.pages.site import PAGE_BY_KIND
    from patternbook.postbuild.search import RECORD_BY_KIND

    for table in (PAGE_BY_KIND, MARKDOWN_BY_KIND, DOCUMENT_BY_KIND, RECORD_BY_KIND):
        assert list(table) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_page_shows_its_history_and_links_its_twins(site: Path, catalogue: Catalogue, kind: str) -> None:
    slug = one_of(catalogue, kind).slug
    page = (site / "patterns" / slug / "index.html").read_text(encoding="utf-8")
    assert 'class="pb-changed">Last changed <time datetime="2026-03-01">' in page
    assert 'id="change-history"' in page and CHANGE_SUBJECT in page
    assert f'<a href="../{slug}.md" data-pb-format="md"' in page
    assert f'<a href="../{slug}.json" data-pb-format="json"' in page


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_in_the_feed(site: Path, catalogue: Catalogue, kind: str) -> None:
    import feedparser

    bundle = one_of(catalogue, kind)
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    entries = [e for e in feed.entries if e.link == f"{SITE_URL}patterns/{bundle.slug}/"]
    assert {e.tags[0].term for e in entries} == {"new", "changed"}
    assert all(bundle.title in e.title for e in entries)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_listed_in_llms_txt(site: Path, catalogue: Catalogue, kind: str) -> None:
    bundle = one_of(catalogue, kind)
    text = (site / "llms.txt").read_text(encoding="utf-8")
    assert f"- [{bundle.title}]({SITE_URL}patterns/{bundle.slug}.md): In short, " in text


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_in_llms_full_txt_and_an_mcp_resource_as_its_twin(site: Path, catalogue: Catalogue,
                                                                        kind: str) -> None:
    bundle = one_of(catalogue, kind)
    twin = (site / "patterns" / f"{bundle.slug}.md").read_text(encoding="utf-8")
    assert twin in (site / "llms-full.txt").read_text(encoding="utf-8")
    assert bundle_markdown_text(catalogue, bundle.slug) == twin


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_markdown_and_json_twins(site: Path, catalogue: Catalogue, kind: str) -> None:
    bundle = one_of(catalogue, kind)
    document = json.loads((site / "patterns" / f"{bundle.slug}.json").read_text(encoding="utf-8"))
    assert document["slug"] == bundle.slug and document["title"] == bundle.title
    assert document["answers"]["failure_edges"][0]["fails"] == bundle.failure_edges[0].fails
    markdown = (site / "patterns" / f"{bundle.slug}.md").read_text(encoding="utf-8")
    assert markdown.startswith(f"# {bundle.title}\n\n> In short, ")
    assert bundle.failure_edges[0].fails in markdown


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_in_catalogue_json_and_the_sitemap(site: Path, catalogue: Catalogue, kind: str) -> None:
    bundle = one_of(catalogue, kind)
    document = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    listed = {entry["slug"]: entry for entry in document[BUNDLE_KINDS[kind].catalogue_field]}
    assert listed[bundle.slug]["kind"] == kind
    assert f"<loc>{SITE_URL}patterns/{bundle.slug}/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_a_search_record(site: Path, catalogue: Catalogue, kind: str) -> None:
    bundle = one_of(catalogue, kind)
    records = {record.url: record for record in search_records(catalogue, site)}
    record = records[f"/patterns/{bundle.slug}/"]
    assert f'data-pagefind-meta="kind">{KIND_TITLES[kind]}</span>' in record.html
    assert f'data-pagefind-meta="title">{bundle.title}</h1>' in record.html


@pytest.mark.parametrize("kind", KINDS)
def test_mcp_get_pattern_answers_for_each_kind(catalogue: Catalogue, kind: str) -> None:
    bundle = one_of(catalogue, kind)
    answer = get_pattern(catalogue, bundle.slug)
    assert answer["slug"] == bundle.slug and answer["kind"] == kind
    assert answer["path"] == f"patterns/{bundle.slug}/"


@pytest.fixture(scope="module")
def diff_text(project: Path) -> str:
    """``patternbook diff --format json HEAD~1 HEAD`` over the two commits."""
    return render_diff(diff_git_refs(project / "patterns", "HEAD~1", "HEAD"), "json")


@pytest.mark.parametrize("kind", KINDS)
def test_patternbook_diff_reports_each_kind(diff_text: str, catalogue: Catalogue, kind: str) -> None:
    bundle = one_of(catalogue, kind)
    changed = {entry["slug"]: entry for entry in json.loads(diff_text)["changed"]}
    assert changed[bundle.slug]["kind"] == kind
    assert [change["field"] for change in changed[bundle.slug]["changes"]] == ["summary"]


def one_ringed(catalogue: Catalogue, kind: str):
    ringed = [bundle for bundle in catalogue.of_kind(kind).values() if bundle.adoption]
    assert ringed, f"no fixture bundle of kind {kind!r} has an adoption ring: add one to tests/fixtures/catalogue"
    return ringed[0]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_goes_through_the_ring_facets(site: Path, catalogue: Catalogue, kind: str) -> None:
    """The ring reaches the directory, search filters, catalogue.json, MCP, the radar and tech-radar.json."""
    from patternbook.pages import facet_vocabulary, pattern_facets

    bundle = one_ringed(catalogue, kind)
    ring = bundle.adoption.ring
    assert pattern_facets(bundle)["ring"] == [ring]
    assert ring in dict(facet_vocabulary(catalogue)["ring"])
    listing = (site / "discover" / "patterns" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<li data-pb-item[^>]* data-ring="{ring}"[^>]*><a href="../../patterns/{bundle.slug}/"', listing)
    record = {r.url: r for r in search_records(catalogue, site)}[f"/patterns/{bundle.slug}/"]
    assert f'data-pagefind-filter="ring">{ring}</span>' in record.html
    document = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    listed = {entry["slug"]: entry for entry in document[BUNDLE_KINDS[kind].catalogue_field]}
    assert listed[bundle.slug]["adoption"]["ring"] == ring
    assert get_pattern(catalogue, bundle.slug)["adoption"]["ring"] == ring
    radar = (site / "discover" / "radar" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../patterns/{bundle.slug}/"' in radar and f'data-ring="{ring}"' in radar
    tech_radar = json.loads((site / "tech-radar.json").read_text(encoding="utf-8"))
    [entry] = [e for e in tech_radar["entries"] if e["id"] == bundle.slug]
    assert entry["timeline"][0]["ringId"] == ring
    assert entry["links"][0]["url"] == f"{SITE_URL}patterns/{bundle.slug}/"
