"""Putting a finished site where the previous one stood, atomically.

Every engine builds into a staging folder beside the site folder; only when the
engine and the post-build stage succeeded does the staging folder replace the
site, with two renames. A failed build leaves the previous site untouched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["discard_staging", "staging_dir_for", "swap_into_place"]


def staging_dir_for(site_dir: Path) -> Path:
    """A staging folder beside ``site_dir`` (same file system, so the swap is a rename)."""
    return site_dir.with_name(f".{site_dir.name}.staging-{os.getpid()}")


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` with two renames; the old site is
    deleted only once the new one stands where it stood."""
    previous = target.with_name(f".{target.name}.previous-{os.getpid()}")
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


def discard_staging(staging: Path) -> None:
    """Remove what a failed build left in its staging folder."""
    shutil.rmtree(staging, ignore_errors=True)
