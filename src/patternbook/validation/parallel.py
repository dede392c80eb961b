"""Checking many bundles on every core.

Each bundle is independent until the cross-bundle rules, so large catalogues are
split across forked worker processes. Workers send back the validated model, the
diagnostics and a slimmed source document that keeps only the positions the
cross-bundle rules report on (shipping whole documents back would cost more
than the parallelism gains).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from patternbook.errors import Diagnostic
from patternbook.loader import RawBundle, SourceText, YamlDocument, load_bundle
from patternbook.schema import Bundle, Vocabulary
from patternbook.validation.cross_bundle import PatternOutline, outline_of
from patternbook.validation.result_cache import ResultCache

__all__ = ["PARALLEL_THRESHOLD", "BundleResult", "check_bundles"]

#: Below this many bundles, starting workers costs more than it saves.
PARALLEL_THRESHOLD = 200
#: Top-level fields the cross-bundle rules point at.
CROSS_BUNDLE_FIELDS = frozenset({"relations", "last_reviewed", "title", "status", "superseded_by", "refactor_to"})

BundleResult = tuple[RawBundle, Bundle | None, PatternOutline | None, list[Diagnostic]]
BundleCheck = Callable[[RawBundle, Vocabulary | None], tuple[Bundle | None, list[Diagnostic]]]

_worker_check: BundleCheck | None = None
_worker_vocabulary: Vocabulary | None = None
_worker_keeps_models = True


def _slim(bundle: RawBundle) -> RawBundle:
    document = bundle.pattern
    if document is None:
        return replace(bundle, solution=None, diagnostics=[])
    if not document.located:
        # A clean document has no positions yet; its text finds them if a cross-bundle rule reports on it
        # (a string pickles far faster than a dictionary of positions).
        slim_document = YamlDocument(document.source)
    else:
        positions = {path: at for path, at in document.values.items() if path and path[0] in CROSS_BUNDLE_FIELDS}
        slim_document = YamlDocument(SourceText(document.source.path, document.shown_as, ""), None, positions, {}, {})
    return replace(bundle, pattern=slim_document, solution=None, diagnostics=[])


def _initialise(check: BundleCheck, vocabulary: Vocabulary | None, keep_models: bool) -> None:
    global _worker_check, _worker_vocabulary, _worker_keeps_models
    _worker_check, _worker_vocabulary, _worker_keeps_models = check, vocabulary, keep_models


def _check_chunk(directories: list[Path]) -> list[BundleResult]:
    assert _worker_check is not None
    results = []
    for directory in directories:
        bundle = load_bundle(directory)
        pattern, found = _worker_check(bundle, _worker_vocabulary)
        outline = outline_of(pattern) if pattern is not None else None
        # Unpickling thousands of nested models costs more than the parallel work saves.
        results.append((_slim(bundle), pattern if _worker_keeps_models else None, outline, found))
    return results


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Loading makes hundreds of thousands of small containers and no reference cycles
    (YAML aliases are refused; documents and models hold none), yet each 700 of them
    start a pass of the cyclic collector over a growing heap: about a tenth of the run.
    Collections wait for many more allocations until the bundles are checked."""
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, thresholds[1], thresholds[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def check_bundles(directories: list[Path], check: BundleCheck, vocabulary: Vocabulary | None, *,
                  keep_models: bool = True, cache: ResultCache | None = None) -> Iterator[BundleResult]:
    """Load and check each bundle, in the order given, in parallel where it pays.

    With ``keep_models=False`` (plain validation) workers return only outlines, and
    a ``cache`` answers for every bundle whose bytes it has seen.
    """
    if cache is not None and keep_models:
        raise ValueError("cached results hold outlines, not models: cache only with keep_models=False")
    with _rare_collections():  # forked workers inherit the setting
        if cache is None:
            yield from _checked(directories, check, vocabulary, keep_models)
        else:
            yield from _checked_through(cache, directories, check, vocabulary)


def _checked_through(cache: ResultCache, directories: list[Path], check: BundleCheck,
                     vocabulary: Vocabulary | None) -> Iterator[BundleResult]:
    keys: dict[Path, str] = {}
    answered: dict[Path, BundleResult] = {}
    for directory in directories:
        keyed = cache.key(directory)
        if keyed is None:
            continue
        keys[directory] = keyed[0]
        result = cache.get(directory, *keyed)
        if result is not None:
            answered[directory] = result
    checked = _checked([d for d in directories if d not in answered], check, vocabulary, False)
    for directory in directories:
        if directory in answered:
            yield answered[directory]
            continue
        result = next(checked)
        # Stored only if the files did not change while they were checked.
        again = cache.key(directory) if directory in keys else None
        if again is not None and again[0] == keys[directory]:
            cache.put(keys[directory], result)
        yield result


def _checked(directories: list[Path], check: BundleCheck, vocabulary: Vocabulary | None,
             keep_models: bool) -> Iterator[BundleResult]:
    workers = _workers()
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if len(directories) < PARALLEL_THRESHOLD or workers < 2 or not forkable:
        for directory in directories:
            bundle = load_bundle(directory)
            pattern, found = check(bundle, vocabulary)
            yield bundle, pattern, outline_of(pattern) if pattern is not None else None, found
        return
    chunk_count = workers * 4
    size = -(-len(directories) // chunk_count)
    chunks = [directories[start:start + size] for start in range(0, len(directories), size)]
    # fork: workers inherit the imported modules and the arguments, nothing is re-imported.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_initialise,
                             initargs=(check, vocabulary, keep_models)) as pool:
        for results in pool.map(_check_chunk, chunks):
            yield from results
