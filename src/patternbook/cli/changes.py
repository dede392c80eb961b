"""Which bundles a pull request touches, from git."""

from __future__ import annotations

import subprocess
from pathlib import Path

from patternbook.errors import UsageError
from patternbook.loader import CATALOGUE_FILE

__all__ = ["changed_bundle_folders"]


def _git(arguments: list[str], cwd: Path) -> list[str]:
    try:
        result = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise UsageError("--changed-since needs git on PATH") from None
    if result.returncode != 0:
        raise UsageError(f"git {' '.join(arguments)}: {result.stderr.strip() or 'failed'}")
    return [line for line in result.stdout.splitlines() if line]


def changed_bundle_folders(catalogue_root: Path, ref: str) -> list[Path] | None:
    """Bundle folders changed since ``ref`` (committed, staged, unstaged or new).

    ``None`` means "check everything": the vocabulary file changed, or a bundle
    was removed (other bundles may still point at it).
    """
    top = Path(_git(["rev-parse", "--show-toplevel"], catalogue_root)[0])
    root = catalogue_root.resolve()
    changed = _git(["diff", "--name-only", "--no-renames", ref, "--", str(root)], top)
    changed += _git(["ls-files", "--others", "--exclude-standard", "--", str(root)], top)
    folders: set[Path] = set()
    for name in changed:
        path = (top / name).resolve()
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        if relative.parts == (CATALOGUE_FILE,):
            return None
        if len(relative.parts) < 2:
            continue
        folder = root / relative.parts[0]
        if not folder.is_dir():
            return None
        folders.add(folder)
    return sorted(folders)
