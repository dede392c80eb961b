"""One ``repositories`` entry of one bundle: what both checks of a companion repository read."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PinnedEntry"]


@dataclass(frozen=True)
class PinnedEntry:
    """One ``repositories`` entry of one pattern: the repository, the pinned commit and the folder."""

    pattern: str
    url: str
    ref: str
    path: str | None = None

    @property
    def key(self) -> str:
        return f"{self.url}@{self.ref}:{self.path or ''}"

    @property
    def where(self) -> str:
        """The entry as a report line starts: ``pattern: host/owner/name@abc1234 path/``."""
        where = f"{self.pattern}: {self.url.removeprefix('https://')}@{self.ref[:7]}"
        return where + (f" {self.path}/" if self.path else "")
