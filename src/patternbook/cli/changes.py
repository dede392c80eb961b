"""Which bundles a pull request touches, from git."""

from __future__ import annotations

from pathlib import Path

from patternbook.errors import UsageError
from patternbook.git import GitError, run_git
from patternbook.loader import CATALOGUE_FILE

__all__ = ["changed_bundle_folders"]


def _git(arguments: list[str], cwd: Path) -> list[str]:
    """Output lines of ``git`` with ``-z``: NUL-terminated names, written as they are
    (no quoting of unusual characters, and a newline in a name cannot split it in two)."""
    try:
        output = run_git(arguments, cwd, timeout=60)
    except GitError as error:
        raise UsageError("--changed-since needs git on PATH" if error.missing else str(error)) from None
    return [name for name in output.decode("utf-8", errors="surrogateescape").split("\0") if name]


def changed_bundle_folders(catalogue_root: Path, ref: str) -> list[Path] | None:
    """Bundle folders changed since ``ref`` (committed, staged, unstaged or new).

    ``None`` means "check everything": the vocabulary file changed, or a bundle
    was removed (other bundles may still point at it).
    """
    if not ref or ref.startswith("-"):  # git would read it as an option (``--output=…`` writes a file)
        raise UsageError(f"--changed-since '{ref}' is not a git ref")
    top = Path(_git(["rev-parse", "--show-toplevel"], catalogue_root)[0].strip())
    root = catalogue_root.resolve()
    changed = _git(["diff", "-z", "--name-only", "--no-renames", ref, "--", str(root)], top)
    changed += _git(["ls-files", "-z", "--others", "--exclude-standard", "--", str(root)], top)
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
