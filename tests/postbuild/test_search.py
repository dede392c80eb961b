"""The search step: records built from the models, the facets' vocabularies, synonyms,
the misspelling vocabulary, and a real Pagefind index written by the bundled binary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from patternbook.catalogue import Catalogue
from patternbook.pages import facet_vocabulary
from patternbook.postbuild.search import (
    PRESSURE_WEIGHT,
    PROSE_WEIGHT,
    SUMMARY_WEIGHT,
    SYMPTOM_WEIGHT,
    TITLE_WEIGHT,
    UNUSED_PAGEFIND_FILES,
    read_synonyms,
    search_index_step,
    search_records,
    search_settings,
    vocabulary_words,
    write_search_index,
)
from patternbook.postbuild.steps import POST_BUILD_STEPS
from patternbook.validation import validate_paths
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    report = validate_paths([PROJECT / "patterns"])
    return Catalogue.from_models(report.catalogue, report.patterns)


def _weight_of(record_html: str, text: str) -> int:
    """The weight of the element holding ``text`` in a record."""
    for weight, body in re.findall(r'data-pagefind-weight="(\d+)"[^>]*>(.*?)</', record_html, re.S):
        if text in body:
            return int(weight)
    raise AssertionError(f"{text!r} is not in the record")


def test_the_search_step_is_listed_in_the_post_build_stage() -> None:
    assert search_index_step in POST_BUILD_STEPS


def test_title_summary_symptoms_and_pressure_outweigh_the_prose(shipped: Catalogue, tmp_path: Path) -> None:
    records = {r.url: r.html for r in search_records(shipped, tmp_path)}
    record = records["/patterns/circuit-breaker/"]
    pattern = shipped.patterns["circuit-breaker"]
    symptom = next(s.title for s in shipped.symptoms if s.id == pattern.pressure.symptoms[0])
    assert _weight_of(record, pattern.title) == TITLE_WEIGHT
    assert _weight_of(record, pattern.summary[:40]) == SUMMARY_WEIGHT
    assert _weight_of(record, symptom.replace("'", "&#x27;")) == SYMPTOM_WEIGHT
    assert _weight_of(record, pattern.pressure.signals[0][:30]) == PRESSURE_WEIGHT
    assert _weight_of(record, pattern.when_not_to_use[0][:30]) == PROSE_WEIGHT
    assert TITLE_WEIGHT > SUMMARY_WEIGHT > SYMPTOM_WEIGHT > PRESSURE_WEIGHT > PROSE_WEIGHT


def test_every_pattern_carries_its_facets_as_filters_and_its_facts_as_metadata(shipped: Catalogue,
                                                                               tmp_path: Path) -> None:
    records = {r.url: r.html for r in search_records(shipped, tmp_path)}
    for slug, pattern in shipped.patterns.items():
        record = records[f"/patterns/{slug}/"]
        assert f'data-pagefind-filter="category">{pattern.category}<' in record
        assert f'data-pagefind-filter="status">{pattern.status}<' in record
        for tag in pattern.tags:
            assert f'data-pagefind-filter="tag">{tag}<' in record
        for repository in pattern.repositories:
            assert f'data-pagefind-filter="iac">{repository.iac}<' in record
        for symptom in pattern.pressure.symptoms:
            assert f'data-pagefind-filter="symptom">{symptom}<' in record
        assert 'data-pagefind-meta="status">' in record and 'data-pagefind-meta="category">' in record
    categories = [url for url in records if url.startswith("/categories/")]
    assert len(categories) == len(shipped.categories)


def test_contributor_text_is_escaped_into_records(shipped: Catalogue, tmp_path: Path) -> None:
    pattern = shipped.patterns["bulkhead"]
    hostile = pattern.model_copy(update={"title": 'Bulk <img src=x onerror=alert(1)> "head"'})
    patterns = {**shipped.patterns, "bulkhead": hostile}
    catalogue = Catalogue.from_models(shipped.definitions, patterns)
    record = next(r.html for r in search_records(catalogue, tmp_path) if r.url == "/patterns/bulkhead/")
    assert "<img" not in record
    assert "Bulk &lt;img src=x onerror=alert(1)&gt; &quot;head&quot;" in record


def test_filters_use_the_facets_page_vocabularies(shipped: Catalogue) -> None:
    settings = search_settings(shipped)
    facets = {f["name"]: [tuple(v) for v in f["values"]] for f in settings["facets"]}
    assert facets == {name: values for name, values in facet_vocabulary(shipped).items() if values}
    assert list(facets) == ["category", "pillar", "status", "ring", "iac", "tag"]
    assert ("reliability", "Reliability") in facets["category"]


def test_settings_carry_the_titles_of_the_symptoms_patterns_answer(shipped: Catalogue) -> None:
    symptoms = search_settings(shipped)["symptoms"]
    answered = {s for pattern in shipped.patterns.values() for s in pattern.pressure.symptoms}
    titles = {s.id: s.title for s in shipped.symptoms}
    assert {symptom_id for symptom_id, _ in symptoms} == answered
    assert all(title == titles[symptom_id] for symptom_id, title in symptoms)


def test_synonyms_are_symmetric_within_a_group() -> None:
    synonyms = read_synonyms()
    assert "outage" in synonyms["downtime"] and "downtime" in synonyms["outage"]
    for word, others in synonyms.items():
        assert word not in others
        assert all(word in synonyms[other] for other in others), word


def test_misspelling_vocabulary_holds_weighted_words_and_shared_prose_words(shipped: Catalogue,
                                                                             tmp_path: Path) -> None:
    records = search_records(shipped, tmp_path)
    words = vocabulary_words(shipped, records)
    assert {"circuit", "breaker", "correlation", "backoff"} <= set(words)
    assert words == sorted(set(words))
    assert all(len(word) > 3 for word in words)


def test_pagefind_writes_a_chunked_index_and_no_unused_interface(shipped: Catalogue, tmp_path: Path) -> None:
    records = search_records(shipped, tmp_path)
    output = tmp_path / "pagefind"
    write_search_index(records, output)
    entry = json.loads((output / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(records)
    assert (output / "pagefind.js").is_file() and (output / "wasm.en.pagefind").is_file()
    assert list((output / "index").glob("*.pf_index")) and list((output / "fragment").glob("*.pf_fragment"))
    assert not [name for name in UNUSED_PAGEFIND_FILES if (output / name).exists()]
    assert len(list((output / "fragment").glob("*.pf_fragment"))) == len(records)


def test_a_missing_pagefind_binary_is_one_message_not_a_traceback(shipped: Catalogue, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from patternbook.postbuild.search import SearchSetupError

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchSetupError, match="Pagefind could not build the search index"):
        write_search_index(search_records(shipped, tmp_path)[:2], tmp_path / "pagefind")


def test_two_indexes_of_the_same_records_are_byte_identical(shipped: Catalogue, tmp_path: Path) -> None:
    # Pagefind writes filter values in a randomly seeded hash-map order; we sort them.
    records = search_records(shipped, tmp_path)
    digests = []
    for run in ("first", "second"):
        write_search_index(records, tmp_path / run)
        digests.append({str(p.relative_to(tmp_path / run)): p.read_bytes()
                        for p in sorted((tmp_path / run).rglob("*")) if p.is_file()})
    assert digests[0] == digests[1]
    # the six facets (the adoption ring among them), and the symptoms a query can restate (not a filter)
    assert len(list((tmp_path / "first" / "filter").glob("*.pf_filter"))) == 7
