"""Bytes and files per bundle of a built site: what a static host stores and counts.

GitHub Pages holds 1 GB and free static hosts about 20,000 files, so the site's
size per bundle, not its build time, sets how large a catalogue one can publish
(design.md: aim for <= 250 KB and <= 8 files per bundle).

    python benchmarks/site_weight.py SITE_DIR

prints the totals per bundle and where they go (pattern pages, diagram files by
suffix, search, the rest). ``bench_site.py`` reports the same beside build time,
and a test holds the shipped catalogue's build to the goal.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BYTES_PER_BUNDLE_GOAL", "FILES_PER_BUNDLE_GOAL", "SiteWeight", "site_weight"]

BYTES_PER_BUNDLE_GOAL = 250 * 1024
FILES_PER_BUNDLE_GOAL = 8


@dataclass(frozen=True)
class SiteWeight:
    bundles: int
    """Pattern and anti-pattern pages (``patterns/<slug>/index.html``)."""
    bytes: int
    files: int
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Bytes and files by part of the site (see :func:`_part`)."""

    @property
    def bytes_per_bundle(self) -> float:
        return self.bytes / self.bundles

    @property
    def files_per_bundle(self) -> float:
        return self.files / self.bundles

    def lines(self) -> list[str]:
        lines = [f"{self.bundles} bundles, {self.bytes / 1024:.0f} KB in {self.files} files: "
                 f"{self.bytes_per_bundle / 1024:.1f} KB and {self.files_per_bundle:.2f} files per bundle "
                 f"(goal <= {BYTES_PER_BUNDLE_GOAL // 1024} KB, <= {FILES_PER_BUNDLE_GOAL} files)"]
        for part, (size, count) in sorted(self.parts.items(), key=lambda item: -item[1][0]):
            lines.append(f"  {part:<28} {size / self.bundles / 1024:>7.1f} KB {count / self.bundles:>6.2f} files "
                         f"per bundle ({size / 1024:.0f} KB, {count} files)")
        return lines


def _part(relative: str) -> str:
    if relative.startswith("assets/diagrams/"):
        return "diagram ." + relative.rsplit(".", 1)[-1]
    if relative.startswith("patterns/") and relative.endswith("/index.html"):
        return "pattern pages"
    if relative.startswith("patterns/"):
        return "pattern twins (." + relative.rsplit(".", 1)[-1] + ")"
    if relative.startswith("pagefind/"):
        return "pagefind " + ("fragments" if "/fragment/" in relative else "index and UI")
    if relative.startswith("search/"):
        return "search/ (lunr)"
    if relative.endswith(".map"):
        return "source maps"
    if relative.startswith("assets/"):
        return "theme assets"
    if relative.endswith(".html"):
        return "other pages"
    return "other files"


def site_weight(site: Path) -> SiteWeight:
    """Every file under ``site`` counted once (hard links included: a host stores each path)."""
    parts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in site.rglob("*"):
        if path.is_file():
            part = parts[_part(path.relative_to(site).as_posix())]
            part[0] += path.stat().st_size
            part[1] += 1
    bundles = len(list((site / "patterns").glob("*/index.html")))
    if not bundles:
        raise ValueError(f"{site}: no pattern pages (patterns/<slug>/index.html); is it a built site?")
    return SiteWeight(bundles, sum(size for size, _ in parts.values()), sum(count for _, count in parts.values()),
                      {part: (size, count) for part, (size, count) in parts.items()})


if __name__ == "__main__":
    print("\n".join(site_weight(Path(sys.argv[1])).lines()))
