"""Each bundle's own checks answered from the cache report exactly what checking
reports, and only a bundle whose bytes are unchanged is answered: an edit, a new
vocabulary or a damaged cache file means checking again. Rules across bundles and
dates against ``--today`` run on every run, on the outlines the entries keep."""

from __future__ import annotations

import datetime
import functools
import json
import shutil
from pathlib import Path

import pytest

from patternbook.cli import main
from patternbook.schema.diagram_kinds import node_kind_check
from patternbook.validation import validate_bundle, validate_paths
from patternbook.validation.parallel import check_bundles
from patternbook.validation.result_cache import ResultCache
from tests.conftest import FIXED_TODAY, FIXTURE_CATALOGUE

CASES = Path(__file__).parent / "cases"
TODAY = datetime.date.fromisoformat(FIXED_TODAY)


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture catalogue with a bundle that fails and one that only warns."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_CATALOGUE, root)
    for kind, name in (("negative", "yaml11-boolean"), ("positive", "minimal-valid")):
        shutil.copytree(CASES / kind / name, root / name, ignore=shutil.ignore_patterns("expected.txt"))
    return root


def _checked_count(root: Path, cache: ResultCache) -> int:
    """How many bundles ``check_bundles`` had to check itself (the rest came from the cache)."""
    calls = []

    def counting(bundle, vocabulary):
        calls.append(bundle.slug)
        return validate_bundle(bundle, vocabulary)

    directories = sorted(d for d in root.iterdir() if d.is_dir())
    list(check_bundles(directories, counting, None, keep_models=False, cache=cache))
    cache.save(complete=True)
    return len(calls)


def _report(root: Path, cache_file: Path | None, today: datetime.date = TODAY) -> list[str]:
    report = validate_paths([root], today=today, keep_models=False, cache_file=cache_file)
    return [d.format() for d in report.diagnostics]


def test_a_warm_cache_reports_what_checking_reports(catalogue: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    checked = _report(catalogue, None)
    assert any("PB105" in line for line in checked), checked  # the failing bundle fails
    assert _report(catalogue, cache_file) == checked  # filling the cache
    assert cache_file.is_file()
    assert _report(catalogue, cache_file) == checked  # answered from it

    cache = ResultCache(cache_file, catalogue / "catalogue.yaml", node_kind_check)
    assert _checked_count(catalogue, cache) == 0


def test_rules_across_bundles_and_dates_run_on_cached_outlines(catalogue: Path, tmp_path: Path) -> None:
    """A review that falls due, with the line and column of ``last_reviewed`` found from the
    cached file's text; a relation broken by removing its target."""
    cache_file = tmp_path / "cache.json"
    _report(catalogue, cache_file)
    years_later = TODAY + datetime.timedelta(days=3 * 365)
    assert _report(catalogue, cache_file, years_later) == _report(catalogue, None, years_later)
    overdue = [line for line in _report(catalogue, cache_file, years_later) if "review was due" in line]
    assert overdue and all(":1:1:" not in line for line in overdue), overdue

    shutil.rmtree(catalogue / "neighbour-pattern")
    assert _report(catalogue, cache_file) == _report(catalogue, None)
    assert any("neighbour-pattern" in line for line in _report(catalogue, cache_file))


def test_an_edited_bundle_and_a_new_vocabulary_are_checked_again(catalogue: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    cache = functools.partial(ResultCache, cache_file, catalogue / "catalogue.yaml", node_kind_check)
    bundles = sum(1 for d in catalogue.iterdir() if d.is_dir())
    assert _checked_count(catalogue, cache()) == bundles

    solution = catalogue / "minimal-valid" / "solution.md"
    solution.write_text(solution.read_text(encoding="utf-8") + "\nTODO\n", encoding="utf-8")
    assert _checked_count(catalogue, cache()) == 1
    assert any("minimal-valid/solution.md" in line and "PB" in line for line in _report(catalogue, cache_file))

    (catalogue / "minimal-valid" / "notes.txt").write_text("a stray file", encoding="utf-8")
    assert _checked_count(catalogue, cache()) == 1
    assert any("notes.txt" in line and "PB006" in line for line in _report(catalogue, cache_file))

    vocabulary = catalogue / "catalogue.yaml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n# another vocabulary\n", encoding="utf-8")
    assert _checked_count(catalogue, cache()) == bundles


def test_a_damaged_or_foreign_cache_is_a_miss_never_an_answer(catalogue: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    checked = _report(catalogue, None)
    bundles = sum(1 for d in catalogue.iterdir() if d.is_dir())
    for damaged in ("{not json", "[]", json.dumps({"format": 999, "entries": {}})):
        cache_file.write_text(damaged, encoding="utf-8")
        assert _checked_count(catalogue, ResultCache(cache_file, catalogue / "catalogue.yaml", node_kind_check)) \
            == bundles
    # Entries of the right key but the wrong shape, or naming a code that does not exist.
    entries = json.loads(cache_file.read_text(encoding="utf-8"))["entries"]
    for number, key in enumerate(entries):
        entries[key] = ({"pattern": True, "outline": [1, 2], "diagnostics": []} if number % 2 else
                        {"pattern": False, "outline": None, "diagnostics": [["x", 1, 1, "PB999", "", "", "error", ""]]})
    cache_file.write_text(json.dumps({"format": 1, "entries": entries}), encoding="utf-8")
    assert _report(catalogue, cache_file) == checked


def test_checks_with_another_node_kind_rule_do_not_share_entries(catalogue: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    _checked_count(catalogue, ResultCache(cache_file, catalogue / "catalogue.yaml", node_kind_check))
    other = ResultCache(cache_file, catalogue / "catalogue.yaml", None)
    assert _checked_count(catalogue, other) == sum(1 for d in catalogue.iterdir() if d.is_dir())


def test_a_run_over_some_bundles_keeps_the_others_and_a_whole_run_drops_the_gone(
        catalogue: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    _report(catalogue, cache_file)
    whole = set(json.loads(cache_file.read_text(encoding="utf-8"))["entries"])
    validate_paths([catalogue / "minimal-valid"], today=TODAY, keep_models=False, cache_file=cache_file)
    assert set(json.loads(cache_file.read_text(encoding="utf-8"))["entries"]) == whole

    shutil.rmtree(catalogue / "yaml11-boolean")
    _report(catalogue, cache_file)
    assert len(json.loads(cache_file.read_text(encoding="utf-8"))["entries"]) == len(whole) - 1


def test_the_command_keeps_its_cache_where_it_says_and_not_with_no_cache(
        catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(catalogue), "--today", FIXED_TODAY, "--no-cache"]) == 1
    assert not (tmp_path / ".cache").exists()
    uncached = capsys.readouterr().out
    assert main(["validate", str(catalogue), "--today", FIXED_TODAY]) == 1
    assert (tmp_path / ".cache" / "patternbook" / "validation.json").is_file()
    assert main(["validate", str(catalogue), "--today", FIXED_TODAY, "--cache", "elsewhere.json"]) == 1
    assert (tmp_path / "elsewhere.json").is_file()
    assert main(["validate", str(catalogue), "--today", FIXED_TODAY]) == 1
    assert capsys.readouterr().out == uncached * 3


def test_models_are_never_answered_from_the_cache(catalogue: Path, tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache.json", catalogue / "catalogue.yaml", node_kind_check)
    with pytest.raises(ValueError, match="keep_models=False"):
        list(check_bundles([catalogue / "minimal-valid"], validate_bundle, None, keep_models=True, cache=cache))
