"""The one way Patternbook runs git, and the one way it cleans text git hands back.

Three features read git: the change history (pattern pages and the feed),
``patternbook diff`` and ``validate --changed-since``. They share this runner so
that every call gets the same environment: untranslated messages
(``LC_ALL=C``: the same words in every CI log, and the ones people search
for), pathspecs read literally (a catalogue folder named ``p*`` means that
folder, not a glob), and no optional lock taken in a repository another
process may be writing.

What git prints about commits is contributor text: a merged pull request
brings its author's subject lines. Callers read output in a shape no such
text can forge (NUL-terminated fields, ``-z``, length-prefixed blobs) and pass
free text through :func:`clean_git_text` before it reaches any output.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from patternbook.schema.text import FORBIDDEN_CHARACTERS

__all__ = ["GIT_TIMEOUT_SECONDS", "GitError", "clean_git_text", "run_git"]

GIT_TIMEOUT_SECONDS = 120


class GitError(Exception):
    """git is missing, ran too long or refused; the message says which, in git's words when it has any."""

    def __init__(self, message: str, *, missing: bool = False, timed_out: bool = False) -> None:
        super().__init__(message)
        self.missing = missing
        """True when there is no ``git`` to run at all."""
        self.timed_out = timed_out
        """True when git ran longer than it was given."""


def run_git(arguments: Sequence[str], cwd: Path, *, stdin: bytes | None = None,
            timeout: float = GIT_TIMEOUT_SECONDS, git_dir: Path | None = None) -> bytes:
    """``git <arguments>`` run in ``cwd``; its standard output as bytes (decoding is the caller's:
    some output is text, some is file contents). ``git_dir`` names a bare repository to use
    instead of the one around ``cwd``. git never prompts: a fetch that needs credentials fails."""
    environment = {**os.environ, "LC_ALL": "C", "GIT_LITERAL_PATHSPECS": "1", "GIT_OPTIONAL_LOCKS": "0",
                   "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
    if git_dir is not None:
        environment["GIT_DIR"] = str(git_dir)
    try:
        result = subprocess.run(["git", *arguments], cwd=cwd, input=stdin, capture_output=True, timeout=timeout,
                                env=environment, check=False)
    except FileNotFoundError:
        raise GitError("git is not on PATH", missing=True) from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {arguments[0]} did not finish within {timeout:g} seconds", timed_out=True) from None
    except OSError as error:
        raise GitError(f"git {arguments[0]} could not run: {error.strerror}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", errors="replace").strip() or "failed"
        raise GitError(f"git {arguments[0]}: {message}")
    return result.stdout


def clean_git_text(value: str) -> str:
    """Free text from git (a commit subject) as one line of plain text.

    Control characters (ESC, form feed, NUL, the C1 range), invisible and
    direction-changing characters and the noncharacters no XML document may
    hold are dropped: the feed writer refuses the first and the last, and the
    others would let a subject show readers something other than what it says.
    Line breaks and runs of white space become one space.
    """
    return " ".join(FORBIDDEN_CHARACTERS.sub("", value).split())
