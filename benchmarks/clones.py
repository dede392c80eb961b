"""A catalogue of N clones of the largest shipped bundle, for validation benchmarks.

The synthetic catalogue (:mod:`benchmarks.synthetic`) is small per bundle; the
shipped bundles are several times larger (long prose, cost models, 100-line
diagrams), and validation cost grows with the text, not only the count. Each
clone is the largest bundle of ``patterns/`` (by bytes) under a new slug and
title; its relations point at other clones round a ring (+1, -1, +2, -2, …), so
every relation resolves and a symmetric one is mirrored: the cross-bundle rules do
their full work and a valid catalogue reports nothing. The
catalogue file is the shipped one without its series (they name shipped slugs).

    python benchmarks/clones.py OUT_DIR --count 1000
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

PATTERNS = Path(__file__).resolve().parents[1] / "patterns"
_RELATION_TARGET = re.compile(r"^(\s+(?:-\s+)?pattern:\s+)(\S+)\s*$", re.M)
_TITLE = re.compile(r"^title: .*$", re.M)


def largest_bundle(patterns: Path = PATTERNS) -> Path:
    """The shipped bundle with the most bytes of YAML and Markdown."""
    bundles = [folder for folder in patterns.iterdir() if (folder / "pattern.yaml").is_file()]
    return max(sorted(bundles), key=lambda folder: sum(f.stat().st_size for f in folder.iterdir() if f.is_file()))


def clone_slug(index: int) -> str:
    return f"clone-{index:05d}"


def write_clones(target: Path, count: int, source: Path | None = None) -> Path:
    """Write ``count`` clones of ``source`` (default: the largest shipped bundle) and a catalogue file."""
    source = source or largest_bundle()
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    catalogue = yaml.safe_load((PATTERNS / "catalogue.yaml").read_text(encoding="utf-8"))
    catalogue.pop("series", None)
    (target / "catalogue.yaml").write_text(yaml.safe_dump(catalogue, sort_keys=False), encoding="utf-8")
    pattern = (source / "pattern.yaml").read_text(encoding="utf-8")
    title = _TITLE.search(pattern)
    assert title is not None, source
    others = [f for f in sorted(source.iterdir()) if f.is_file() and f.name != "pattern.yaml"]
    for index in range(count):
        bundle = target / clone_slug(index)
        bundle.mkdir()
        ring = iter(range(count))

        def next_clone(match: re.Match[str], index: int = index, ring=ring) -> str:
            step = next(ring)
            offset = (step // 2 + 1) * (1 if step % 2 == 0 else -1)
            return match.group(1) + clone_slug((index + offset) % count)

        text = _TITLE.sub(f"{title.group(0)} {index:05d}", pattern, count=1)
        (bundle / "pattern.yaml").write_text(_RELATION_TARGET.sub(next_clone, text), encoding="utf-8")
        for extra in others:
            shutil.copyfile(extra, bundle / extra.name)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    arguments = parser.parse_args()
    write_clones(arguments.target, arguments.count)


if __name__ == "__main__":
    main()
