"""Retired runtimes in companion repositories, read at their pinned commits.

A pattern's sample rots quietly: the commit it pins keeps deploying ``python3.8`` long after
AWS Lambda stopped patching it. For each ``repositories`` entry this fetches the pinned commit
with git (depth 1, no file contents until needed), reads the manifests and infrastructure files
under ``path`` (``template.yaml``, ``*.tf``, ``package.json``, ``requirements.txt``, CDK apps)
and looks for the tokens of the dated list shipped in the package
(:mod:`patternbook.schema.retired_runtimes`). A runtime counts as retired when the check date
is on or after the provider's date; the date is a parameter so a run is reproducible.

A finding the bundle does not flag in ``retired_runtimes`` is a mismatch (the page says
nothing while the sample is affected); a flag the scan cannot find is reported too, since the
pin may have moved past it. Fetched repositories are kept in a cache folder: a pinned commit
never changes, so the next run reads it without the network. The clone URL's base is a
parameter, as the API's is for the link check, so tests read local repositories.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

from patternbook.companions.entries import PinnedEntry
from patternbook.git import GitError, run_git
from patternbook.schema.retired_runtimes import RetiredRuntime, retired_runtimes

__all__ = ["RuntimeFinding", "ScanResult", "ScanTarget", "find_runtime_tokens", "scan_repositories"]

#: Files read as manifests or infrastructure, by name or by ending.
CONFIGURATION_NAMES = frozenset({
    "package.json", "requirements.txt", "setup.py", "setup.cfg", "pyproject.toml", "Pipfile", "cdk.json",
    "template.yaml", "template.yml", "template.json", "serverless.yml", "serverless.yaml", "serverless.ts",
    "serverless.js", "samconfig.toml", "Gemfile", "go.mod", "build.gradle", "pom.xml",
})
CONFIGURATION_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".hcl", ".yaml", ".yml", ".json", ".template")
#: Source files, where a CDK app names a runtime by constant (``Runtime.PYTHON_3_8``).
CODE_SUFFIXES = (".ts", ".js", ".mjs", ".cjs", ".py", ".java", ".cs", ".go", ".kt", ".rb")
#: Generated or vendored trees: not the sample's own choice, and often huge.
SKIPPED_FOLDERS = frozenset({"node_modules", ".git", "cdk.out", ".aws-sam", ".serverless", "vendor", "dist",
                             "build", "__pycache__", ".venv", "venv", ".terraform"})
SKIPPED_NAMES = frozenset({"package-lock.json", "npm-shrinkwrap.json", "tsconfig.json"})
#: Bounds on what one entry may make us read: enough for any sample, not for a whole monorepo.
MAX_FILES = 400
MAX_FILE_BYTES = 2 * 1024 * 1024
GIT_TIMEOUT = 180.0


@dataclass(frozen=True)
class ScanTarget(PinnedEntry):
    """One ``repositories`` entry of one pattern, with the runtimes it flags."""

    flagged: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuntimeFinding:
    """The first line of one file that names one runtime."""

    runtime: RetiredRuntime
    file: str
    line: int


@dataclass
class ScanResult:
    target: ScanTarget
    findings: list[RuntimeFinding] = field(default_factory=list)
    """Retired runtimes found at the pin (retired on the check date), first line per file."""
    skipped: str | None = None
    files_scanned: int = 0

    @property
    def unflagged(self) -> list[RuntimeFinding]:
        """Findings the bundle does not flag: its page says nothing of them."""
        return [f for f in self.findings if f.runtime.id not in self.target.flagged]

    @property
    def unseen_flags(self) -> list[str]:
        """Flags the scan found no trace of (the pin moved on, or the file kind is not read)."""
        if self.skipped:
            return []
        found = {f.runtime.id for f in self.findings}
        return [flag for flag in self.target.flagged if flag not in found]

    def describe(self) -> list[str]:
        """Lines for the text report."""
        if self.skipped:
            return [f"{self.target.where}: runtimes not checked, {self.skipped}"]
        lines = []
        for finding in self.findings:
            runtime = finding.runtime
            state = "flagged on the page" if runtime.id in self.target.flagged else "NOT FLAGGED on the page"
            lines.append(f"{self.target.where}: {finding.file}:{finding.line}: {runtime.title} retired since "
                         f"{runtime.retired.isoformat()} ({runtime.source}); {state}")
        for flag in self.unseen_flags:
            lines.append(f"{self.target.where}: flags {flag}, but the scan found it nowhere at the pin; "
                         "remove the flag if the sample no longer uses it")
        if not lines:
            lines.append(f"{self.target.where}: no retired runtime found ({self.files_scanned} file(s) read)")
        return lines


class _FetchFailed(Exception):
    def __init__(self, message: str, *, offline: bool) -> None:
        super().__init__(message)
        self.offline = offline


_BOUNDARY_BEFORE = r"(?<![\w-])"
# java8 is not java8.al2, nodejs14.x is not nodejs14.xy, and CDK v2's feature-flag keys in cdk.json
# ("@aws-cdk/core:checkSecretUsage") name a v1 package only as a prefix.
_BOUNDARY_AFTER = r"(?![\w:/-]|\.\w)"


@lru_cache(maxsize=2)
def _matcher(kind: str) -> tuple[re.Pattern[str], dict[str, RetiredRuntime]]:
    """One regular expression for every token of one kind, longest first, and token → runtime."""
    owners: dict[str, RetiredRuntime] = {}
    for runtime in retired_runtimes().values():
        for token in (runtime.in_configuration if kind == "configuration" else runtime.in_code):
            owners.setdefault(token, runtime)
    alternatives = "|".join(re.escape(token) for token in sorted(owners, key=len, reverse=True))
    return re.compile(f"{_BOUNDARY_BEFORE}(?:{alternatives}){_BOUNDARY_AFTER}"), owners


def find_runtime_tokens(text: str, kind: str) -> list[tuple[RetiredRuntime, int]]:
    """Each listed runtime ``text`` names, with the line of its first mention.

    ``kind`` is ``configuration`` (manifests, templates: the runtime's identifier) or ``code``
    (source files: its constants). Tokens match whole, not inside a longer name."""
    pattern, owners = _matcher(kind)
    first: dict[str, tuple[RetiredRuntime, int]] = {}
    for match in pattern.finditer(text):
        runtime = owners[match.group()]
        if runtime.id not in first:
            first[runtime.id] = (runtime, text.count("\n", 0, match.start()) + 1)
    return list(first.values())


def _file_kind(path: str) -> str | None:
    parts = PurePosixPath(path).parts
    name = parts[-1]
    if any(part in SKIPPED_FOLDERS for part in parts[:-1]) or name in SKIPPED_NAMES:
        return None
    if name in CONFIGURATION_NAMES or (name.startswith("requirements") and name.endswith(".txt")):
        return "configuration"
    if name.endswith(CONFIGURATION_SUFFIXES):
        return "configuration"
    if name.endswith(CODE_SUFFIXES):
        return "code"
    return None


def _git(git_dir: Path, *arguments: str, stdin: bytes | None = None) -> bytes:
    """git on the bare repository ``git_dir`` (which ``init`` may be about to create)."""
    return run_git(arguments, git_dir.parent, stdin=stdin, timeout=GIT_TIMEOUT, git_dir=git_dir)


def _clone_url(url: str, clone_base: str | None) -> str:
    """The repository's own URL, or the same owner/name under ``clone_base`` (a mirror, or a
    local folder in tests)."""
    if not clone_base:
        return url
    path = urllib.parse.urlsplit(url).path.rstrip("/").removesuffix(".git")
    if "://" not in clone_base:
        return Path(clone_base).resolve().as_uri() + path
    return clone_base.rstrip("/") + path


_OFFLINE_SIGNS = ("could not resolve host", "unable to access", "network is unreachable", "connection timed out",
                  "failed to connect", "temporary failure in name resolution")


def _fetch(clone_url: str, ref: str, store: Path) -> Path:
    """A bare repository in ``store`` holding commit ``ref`` (trees only; blobs arrive when read)."""
    git_dir = store / (hashlib.sha256(clone_url.encode()).hexdigest()[:24] + ".git")
    if not git_dir.is_dir():
        git_dir.parent.mkdir(parents=True, exist_ok=True)
        for arguments in (("init", "--bare", "--quiet", str(git_dir)),
                          ("config", "remote.origin.url", clone_url),
                          ("config", "remote.origin.promisor", "true"),
                          ("config", "remote.origin.partialclonefilter", "blob:none")):
            try:
                _git(git_dir, *arguments)
            except GitError as error:
                raise _FetchFailed(f"{error}", offline=False) from None
    with contextlib.suppress(GitError):  # exit 1: the commit is not here yet
        _git(git_dir, "cat-file", "-e", f"{ref}^{{commit}}")
        return git_dir
    try:
        _git(git_dir, "fetch", "--quiet", "--depth=1", "--filter=blob:none", "--no-tags", "origin", ref)
    except GitError as error:
        if error.timed_out:
            raise _FetchFailed(f"git fetch took longer than {GIT_TIMEOUT:.0f} s", offline=True) from None
        message = str(error).splitlines()
        offline = any(sign in " ".join(message).lower() for sign in _OFFLINE_SIGNS)
        raise _FetchFailed(f"could not fetch commit {ref[:7]} ({message[-1]})", offline=offline) from None
    return git_dir


def _listed_files(git_dir: Path, ref: str, path: str | None) -> list[tuple[str, str, str]]:
    """(path, blob id, kind) of the files to read under ``path`` at ``ref``."""
    arguments = ["ls-tree", "-r", "-z", "--full-tree", ref]
    if path:
        arguments += ["--", path.strip("/")]
    try:
        listing = _git(git_dir, *arguments)
    except GitError:
        raise _FetchFailed(f"could not list the files at {ref[:7]}", offline=False) from None
    files = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        header, _, name_bytes = record.partition(b"\t")
        mode, kind, oid = header.decode().split(" ")
        name = name_bytes.decode("utf-8", errors="replace")
        file_kind = _file_kind(name)
        if kind == "blob" and not mode.startswith("12") and file_kind:  # 120000: a symlink, not a file
            files.append((name, oid, file_kind))
    return sorted(files)[:MAX_FILES]


def _read_blobs(git_dir: Path, oids: list[str]) -> dict[str, bytes]:
    """Every blob in one ``git cat-file --batch``, after fetching the missing ones in one request
    (left to git, a partial clone fetches each missing blob with a request of its own)."""
    if not oids:
        return {}
    present = set(_git(git_dir, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)").decode().split())
    missing = [oid for oid in oids if oid not in present]  # on a later run, none: a pinned commit never changes
    if missing:  # best effort: a blob still missing afterwards is reported by cat-file below
        with contextlib.suppress(GitError):
            _git(git_dir, "-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet", "--no-tags",
                 "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin", "origin",
                 stdin="".join(f"{oid}\n" for oid in missing).encode())
    data = _git(git_dir, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    blobs: dict[str, bytes] = {}
    position = 0
    while position < len(data):
        end = data.index(b"\n", position)
        header = data[position:end].decode(errors="replace").split(" ")
        position = end + 1
        if len(header) != 3:  # "<oid> missing": nothing follows
            continue
        size = int(header[2])
        blobs[header[0]] = data[position:position + size]
        position += size + 1
    return blobs


def _scan_one(target: ScanTarget, git_dir: Path, on: datetime.date) -> ScanResult:
    files = _listed_files(git_dir, target.ref, target.path)
    blobs = _read_blobs(git_dir, [oid for _, oid, _ in files])
    result = ScanResult(target, files_scanned=len(files))
    for name, oid, kind in files:
        content = blobs.get(oid, b"")
        if len(content) > MAX_FILE_BYTES:
            continue
        for runtime, line in find_runtime_tokens(content.decode("utf-8", errors="replace"), kind):
            if runtime.retired_on(on):
                result.findings.append(RuntimeFinding(runtime, name, line))
    return result


def scan_repositories(targets: Iterable[ScanTarget], store: Path, *, on: datetime.date,
                      clone_base: str | None = None) -> list[ScanResult]:
    """Scan each target at its pinned commit; after the first sign of no network, skip the rest."""
    results: list[ScanResult] = []
    offline: str | None = None
    for target in sorted(set(targets), key=lambda t: (t.pattern, t.url, t.path or "")):
        if offline:
            results.append(ScanResult(target, skipped=offline))
            continue
        try:
            git_dir = _fetch(_clone_url(target.url, clone_base), target.ref, store)
            results.append(_scan_one(target, git_dir, on))
        except _FetchFailed as failure:
            if failure.offline:
                offline = "network unreachable"
            results.append(ScanResult(target, skipped=str(failure)))
        except (GitError, OSError) as error:  # git missing, killed, or refusing to read what it fetched
            results.append(ScanResult(target, skipped=f"git failed: {error}"))
    return results
