"""Search: a Pagefind index written into the finished site.

Material's own search ships the full text of every page as one JSON file that
each reader downloads and indexes before the first result (~2.3 MB gzipped at
1,000 patterns). Pagefind splits its index into chunks keyed by word prefix,
so a query fetches only the chunks and result fragments it needs.

Records are built from the validated models, not scraped from the engine's
HTML: the same index whichever engine rendered the pages, and fields carry the
weight readers expect — a title, summary, the symptoms a pattern answers and
its pressure outrank a word met in passing in the prose. Filters use the
facets page's vocabularies, so search and *All patterns* narrow the same way.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from patternbook.catalogue import Catalogue
from patternbook.errors import PatternbookError
from patternbook.pages import FACET_TITLES, facet_vocabulary, pattern_facets
from patternbook.postbuild.pagefind_order import stabilise_filter_order
from patternbook.schema import AntiPattern, Bundle, Pattern, kind_of
from patternbook.schema.terms import STATUS_TITLES

if TYPE_CHECKING:  # the package imports this module to list the step
    from patternbook.postbuild.context import PostBuildContext

__all__ = ["SEARCH_FOLDER", "SearchRecord", "SearchSetupError", "bundle_record", "search_index_step",
           "search_records"]

#: Where the index lands in the site; the search script loads ``<base>/pagefind/pagefind.js``.
SEARCH_FOLDER = "pagefind"
#: What the search script fetches beside the index when it opens: the filters' titles, in facet
#: order, and the synonyms (:data:`SYNONYMS_FILE`).
SETTINGS_FILE = "patternbook-search.json"
#: The words of the weighted fields, fetched only to correct a word the index does not hold.
WORDS_FILE = "patternbook-words.json"
SYNONYMS_FILE = Path(__file__).with_name("search_synonyms.txt")
#: Seconds Pagefind may take; it indexes 1,000 records in a few seconds.
PAGEFIND_TIMEOUT = 600
#: Pagefind writes ready-made interfaces too; ours lives in site_overrides, so these only cost disk.
UNUSED_PAGEFIND_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)

#: Pagefind weights (0–10; its default for a paragraph is 1). Readers search by what a
#: pattern is called, what it does and the trouble they are in — not by a word of the prose.
TITLE_WEIGHT = 10
SUMMARY_WEIGHT = 7
SYMPTOM_WEIGHT = 6
PRESSURE_WEIGHT = 5
TAG_WEIGHT = 4
USE_WEIGHT = 2
PROSE_WEIGHT = 1
#: A hidden Pagefind filter: the catalogue symptoms each pattern answers (see search_settings).
SYMPTOM_FILTER = "symptom"


class SearchSetupError(PatternbookError):
    """The Pagefind binary is missing or failed: the build stops with this message."""


@dataclass(frozen=True)
class SearchRecord:
    """One searchable page: its URL inside the site and the HTML Pagefind reads."""

    url: str
    html: str


def _text(value: str) -> str:
    return html.escape(value, quote=True)


def _block(weight: int, texts: list[str], tag: str = "p") -> str:
    body = " ".join(_text(t.strip()) for t in texts if t and t.strip())
    return f'<{tag} data-pagefind-weight="{weight}">{body}</{tag}>\n' if body else ""


def _hidden(kind: str, name: str, value: str) -> str:
    """Metadata or a filter value that must not count as searchable text."""
    return f'<span data-pagefind-ignore data-pagefind-{kind}="{_text(name)}">{_text(value)}</span>\n'


def _page_url(site_dir: Path, path: str) -> str:
    """``patterns/x/`` with directory URLs, ``patterns/x.html`` without; rooted at the site."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return "/" + stem.removesuffix("index")
    if (site_dir / stem / "index.html").is_file() or not (site_dir / f"{stem}.html").is_file():
        return f"/{stem}/"
    return f"/{stem}.html"


def pattern_record(pattern: Pattern, catalogue: Catalogue, url: str) -> SearchRecord:
    categories = {c.id: c.title for c in catalogue.categories}
    symptoms = {s.id: s.title for s in catalogue.symptoms}
    edges = pattern.failure_edges
    operations = pattern.operations
    prose = [pattern.solution, *pattern.when_not_to_use, pattern.cost.estimate.assumptions,
             *(text for e in edges for text in (e.blast_radius, e.detection, e.mitigation, e.recovery)),
             *(d.dimension for d in pattern.cost.drivers), *operations.monitoring.slis,
             *operations.monitoring.alarms, *operations.runbooks, *operations.skills, *operations.toil,
             *(f"{u.who}: {u.what}" for u in pattern.known_uses), *(r.note or "" for r in pattern.relations)]
    parts = [
        f'<h1 data-pagefind-weight="{TITLE_WEIGHT}" data-pagefind-meta="title">{_text(pattern.title)}</h1>\n',
        f'<p data-pagefind-weight="{SUMMARY_WEIGHT}" data-pagefind-meta="summary">{_text(pattern.summary)}</p>\n',
        _block(SYMPTOM_WEIGHT, [symptoms.get(s, "") for s in pattern.pressure.symptoms]),
        _block(PRESSURE_WEIGHT, [pattern.pressure.force, *pattern.pressure.signals]),
        _block(TAG_WEIGHT, [" ".join(t.replace("-", " ") for t in pattern.tags), categories[pattern.category]]),
        _block(USE_WEIGHT, [*pattern.when_to_use, *(e.fails for e in edges), *(e.trigger for e in edges)]),
        _block(PROSE_WEIGHT, prose, tag="div"),
        _hidden("meta", "kind", kind_of(pattern).title),
        _hidden("meta", "category", categories[pattern.category]),
        _hidden("meta", "status", STATUS_TITLES[pattern.status]),
    ]
    for name, values in pattern_facets(pattern).items():
        if name in FACET_TITLES:  # the search dialog filters by these (not by kind: the result says it)
            parts += [_hidden("filter", name, value) for value in values]
    # Not offered as a filter: the search script looks patterns up by the symptom a query restates.
    parts += [_hidden("filter", SYMPTOM_FILTER, symptom) for symptom in pattern.pressure.symptoms]
    return SearchRecord(url, _document("".join(parts)))


def anti_pattern_record(anti_pattern: AntiPattern, catalogue: Catalogue, url: str) -> SearchRecord:
    """An anti-pattern weighted as a pattern is: what it is called, the symptoms it produces and
    why teams fall into it outrank its prose. It carries no symptom filter: the search script
    narrows a query that restates a symptom to the patterns answering it."""
    categories = {c.id: c.title for c in catalogue.categories}
    symptoms = {s.id: s.title for s in catalogue.symptoms}
    edges = anti_pattern.failure_edges
    prose = [anti_pattern.solution,
             *(text for e in edges for text in (e.blast_radius, e.detection, e.mitigation, e.recovery)),
             *(step.why for step in anti_pattern.refactor_to), *(f"{u.who}: {u.what}" for u in anti_pattern.known_uses),
             *(r.note or "" for r in anti_pattern.relations)]
    parts = [
        f'<h1 data-pagefind-weight="{TITLE_WEIGHT}" data-pagefind-meta="title">{_text(anti_pattern.title)}</h1>\n',
        f'<p data-pagefind-weight="{SUMMARY_WEIGHT}" data-pagefind-meta="summary">{_text(anti_pattern.summary)}'
        '</p>\n',
        _block(SYMPTOM_WEIGHT, [symptoms.get(s, "") for s in anti_pattern.symptoms]),
        _block(PRESSURE_WEIGHT, [anti_pattern.pressure.force, *anti_pattern.signals]),
        _block(TAG_WEIGHT, [" ".join(t.replace("-", " ") for t in anti_pattern.tags),
                            categories[anti_pattern.category]]),
        _block(USE_WEIGHT, [*anti_pattern.tolerable_when, *(e.fails for e in edges), *(e.trigger for e in edges)]),
        _block(PROSE_WEIGHT, prose, tag="div"),
        _hidden("meta", "kind", kind_of(anti_pattern).title),
        _hidden("meta", "category", categories[anti_pattern.category]),
        _hidden("meta", "status", STATUS_TITLES[anti_pattern.status]),
    ]
    for name, values in pattern_facets(anti_pattern).items():
        if name in FACET_TITLES:
            parts += [_hidden("filter", name, value) for value in values]
    return SearchRecord(url, _document("".join(parts)))


#: Per bundle kind, the function that makes its search record.
RECORD_BY_KIND = {"pattern": pattern_record, "anti-pattern": anti_pattern_record}


def bundle_record(bundle: Bundle, catalogue: Catalogue, url: str) -> SearchRecord:
    """The search record of a bundle of any kind."""
    return RECORD_BY_KIND[bundle.kind](bundle, catalogue, url)  # type: ignore[operator]


def _weighted_texts(bundle: Bundle, symptoms: dict[str, str]) -> tuple[str, ...]:
    """What a bundle is called and the trouble it concerns: the words a misspelt query is corrected toward."""
    if isinstance(bundle, Pattern):
        return (bundle.title, bundle.summary, bundle.pressure.force, *bundle.pressure.signals,
                *(symptoms.get(s, "") for s in bundle.pressure.symptoms), *bundle.tags)
    return (bundle.title, bundle.summary, bundle.pressure.force, *bundle.signals,
            *(symptoms.get(s, "") for s in bundle.symptoms), *bundle.tags)


def _document(body: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"></head><body>\n{body}</body></html>\n'


def search_records(catalogue: Catalogue, site_dir: Path) -> list[SearchRecord]:
    """Every bundle (of every kind, kind by kind), category and series as a record, in a stable order."""
    records = [bundle_record(b, catalogue, _page_url(site_dir, f"patterns/{b.slug}.md"))
               for _, bundles in catalogue.by_kind() for b in bundles.values()]
    for category in catalogue.categories:
        body = (f'<h1 data-pagefind-weight="{TAG_WEIGHT}" data-pagefind-meta="title">{_text(category.title)}</h1>\n'
                f'<p data-pagefind-weight="{PROSE_WEIGHT}" data-pagefind-meta="summary">'
                f'{_text(category.description)}</p>\n' + _hidden("meta", "kind", "Category"))
        records.append(SearchRecord(_page_url(site_dir, f"categories/{category.id}.md"), _document(body)))
    for series in catalogue.series:
        body = (f'<h1 data-pagefind-weight="{TAG_WEIGHT}" data-pagefind-meta="title">{_text(series.title)}</h1>\n'
                f'<p data-pagefind-weight="{PROSE_WEIGHT}" data-pagefind-meta="summary">'
                f'{_text(series.description)}</p>\n' + _hidden("meta", "kind", "Series"))
        records.append(SearchRecord(_page_url(site_dir, f"series/{series.id}.md"), _document(body)))
    return records


def read_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, list[str]]:
    """Each word of a synonym group mapped to the other words of its group."""
    synonyms: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        group = [word.strip().lower() for word in line.split(",") if word.strip()]
        for word in group:
            others = synonyms.setdefault(word, [])
            others += [other for other in group if other != word and other not in others]
    return synonyms


def search_settings(catalogue: Catalogue) -> dict[str, object]:
    """What the search dialog needs besides the index: the facets page's filters, the synonyms,
    and the titles of the symptoms patterns answer (matched against a whole query)."""
    answered = {symptom for pattern in catalogue.patterns.values() for symptom in pattern.pressure.symptoms}
    return {
        "facets": [{"name": name, "title": FACET_TITLES[name], "values": [[v, t] for v, t in values]}
                   for name, values in facet_vocabulary(catalogue).items() if values],
        "synonyms": read_synonyms(),
        "symptoms": [[s.id, s.title] for s in catalogue.symptoms if s.id in answered],
    }


def _words_of(text: str) -> set[str]:
    return {word for word in re.findall(r"[^\W_]+", text.lower()) if len(word) > 3 and not word.isdigit()}


def vocabulary_words(catalogue: Catalogue, records: list[SearchRecord]) -> list[str]:
    """Words to correct a misspelt query word towards: every word of the weighted fields
    (what patterns are called, the trouble they answer), and the words of the prose that
    at least two records share. Words found in one page's prose only are left out, which
    keeps the list small as the catalogue grows; it is fetched only after a miss."""
    symptoms = {s.id: s.title for s in catalogue.symptoms}
    found: set[str] = set()
    for text in [c.title for c in catalogue.categories]:
        found |= _words_of(text)
    for bundle in catalogue.entries.values():
        for text in _weighted_texts(bundle, symptoms):
            found |= _words_of(text)
    seen_once: set[str] = set()
    for record in records:
        for word in _words_of(re.sub(r"<[^>]*>", " ", html.unescape(record.html))):
            if word in seen_once:
                found.add(word)
            seen_once.add(word)
    return sorted(found)


def _record_file(records_dir: Path, url: str) -> Path:
    """Where Pagefind must find a record so that it derives ``url`` from the path."""
    relative = url.strip("/")
    if url.endswith("/"):
        return records_dir / relative / "index.html"
    return records_dir / relative


def write_search_index(records: list[SearchRecord], output: Path) -> None:
    """Run Pagefind (the binary inside the ``pagefind_bin`` wheel) over ``records`` into ``output``.

    The records are written as files and the binary indexes the folder in one run.
    Its Python API was tried first and left: it answers one request per 100 ms poll
    (1,000 records one by one would take 100 s), and it stops the service as soon as
    the write request is acknowledged, which under load left ``pagefind-entry.json``
    empty. The command line exits when every file is written."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchSetupError("search needs the Pagefind package: pip install 'pagefind[bin]'") from None
    executable = get_executable()
    if executable is None:
        raise SearchSetupError("the Pagefind binary is missing: pip install 'pagefind[bin]' "
                               "(or set PAGEFIND_BINARY_PATH)")
    shutil.rmtree(output, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="patternbook-search-") as scratch:
        records_dir = Path(scratch)
        for record in records:
            target = _record_file(records_dir, record.url)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(record.html, encoding="utf-8")
        command = [str(executable), "--site", str(records_dir), "--output-path", str(output.resolve()),
                   "--force-language", "en"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT,
                                    cwd=records_dir)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SearchSetupError(f"Pagefind could not build the search index: {error}") from None
    if result.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        raise SearchSetupError("Pagefind could not build the search index:\n"
                               + (result.stderr or result.stdout)[-2000:])
    for name in UNUSED_PAGEFIND_FILES:
        (output / name).unlink(missing_ok=True)
    stabilise_filter_order(output)


def search_index_step(context: PostBuildContext) -> None:
    """Post-build step: index the catalogue into ``<site>/pagefind/``."""
    report = context.build.report
    if report.catalogue is None:
        return
    catalogue = Catalogue.from_models(report.catalogue, report.patterns, report.anti_patterns)
    output = context.site_dir / SEARCH_FOLDER
    records = search_records(catalogue, context.site_dir)
    write_search_index(records, output)
    for name, document in ((SETTINGS_FILE, search_settings(catalogue)),
                           (WORDS_FILE, vocabulary_words(catalogue, records))):
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        (output / name).write_text(text, encoding="utf-8")
