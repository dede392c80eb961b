"""The pull-request and deploy workflows, CODEOWNERS and the pre-commit files keep
the properties the contributor flow relies on: fork code runs without secrets or
write access, problems become line annotations, the build is strict, and a
pattern pull request cannot change the build without a maintainer."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT

GITHUB = PROJECT / ".github"
PULL_REQUEST_WORKFLOW = GITHUB / "workflows" / "pull-request.yml"
DEPLOY_WORKFLOW = GITHUB / "workflows" / "deploy.yml"
DRIFT_WORKFLOW = GITHUB / "workflows" / "drift.yml"
LINKS_WORKFLOW = GITHUB / "workflows" / "links.yml"
WORKFLOWS = (PULL_REQUEST_WORKFLOW, DEPLOY_WORKFLOW, DRIFT_WORKFLOW, LINKS_WORKFLOW)
#: The Debian image the README's commands are promised to work on.
CONTAINER = "python:3.11-slim-bookworm"

#: Paths a pattern pull request must not be able to change without a maintainer.
GUARDED_PATHS = (
    "mkdocs.yml",
    "templates/",
    "site_overrides/",
    "src/",
    ".github/",
    "pyproject.toml",
    "scripts/",
    "schema/",
    "patterns/catalogue.yaml",
    "requirements/",
    ".pre-commit-config.yaml",
)


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def load_workflow(path: Path) -> dict[str, Any]:
    workflow = load_yaml(path)
    assert isinstance(workflow, dict), f"{path} is not a mapping"
    # YAML 1.1 reads the bare key `on` as the boolean True; accept either spelling.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow["on"]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_lines(workflow: dict[str, Any]) -> list[str]:
    return [line.strip() for step in steps(workflow) for line in str(step.get("run", "")).splitlines()]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def step_running(workflow: dict[str, Any], command: str) -> dict[str, Any]:
    matches = [step for step in steps(workflow) if command in str(step.get("run", ""))]
    assert matches, f"no step runs {command!r}"
    return matches[0]


@pytest.fixture(scope="module")
def pull_request() -> dict[str, Any]:
    return load_workflow(PULL_REQUEST_WORKFLOW)


@pytest.fixture(scope="module")
def deploy() -> dict[str, Any]:
    return load_workflow(DEPLOY_WORKFLOW)


# --- the pull-request workflow ------------------------------------------------


def test_pull_request_workflow_runs_on_pull_request_only(pull_request: dict[str, Any]) -> None:
    on = triggers(pull_request)
    assert "pull_request" in on
    assert "pull_request_target" not in on
    assert "workflow_run" not in on  # a second way to run fork code with a privileged token


def strings_in(node: Any) -> list[str]:
    """Every key and scalar value of a parsed YAML document, as text."""
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in (str(key), *strings_in(value))]
    if isinstance(node, list):
        return [text for item in node for text in strings_in(item)]
    return [str(node)]


def without_comments(text: str) -> str:
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in text.splitlines())


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_workflow_uses_pull_request_target_or_secrets(path: Path) -> None:
    # Both the parsed document and the raw text (less comments, which may explain the rule).
    for text in [*strings_in(load_workflow(path)), without_comments(path.read_text(encoding="utf-8"))]:
        assert "pull_request_target" not in text
        assert not re.search(r"\bsecrets\s*[.\[]", text), text
        assert not re.search(r"\bsecrets\s*:", text), text
        assert not re.search(r"\$\{\{[^}]*\bsecrets\b", text), text  # toJSON(secrets) and the like


def test_pull_request_permissions_are_read_only(pull_request: dict[str, Any]) -> None:
    assert pull_request["permissions"] == {"contents": "read"}
    for name, job in pull_request["jobs"].items():
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}, name


def test_pull_request_checkout_does_not_keep_the_token(pull_request: dict[str, Any]) -> None:
    checkouts = [step for step in steps(pull_request) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


def test_validate_step_writes_github_annotations(pull_request: dict[str, Any]) -> None:
    step = step_running(pull_request, "patternbook validate")
    assert "--format github" in step["run"]
    assert "--strict" in step["run"]


@pytest.mark.parametrize(("path", "command"), [(PULL_REQUEST_WORKFLOW, "bash scripts/test"),
                                             (PULL_REQUEST_WORKFLOW, "bash scripts/build"),
                                             (DEPLOY_WORKFLOW, "bash scripts/build"),
                                             (DEPLOY_WORKFLOW, "bash scripts/handbook"),
                                             (DRIFT_WORKFLOW, "bash scripts/drift")],
                         ids=lambda value: getattr(value, "name", value))
def test_workflows_run_the_readme_commands(path: Path, command: str) -> None:
    """CI runs what the README tells a contributor to run, nothing it installs by itself."""
    workflow = load_workflow(path)
    assert command in run_lines(workflow)
    lines = run_lines(workflow)
    assert not any(line.startswith("pip install") for line in lines)
    assert not any("setup-python" in action for action in uses(workflow))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_jobs_that_run_commands_run_in_the_debian_container(path: Path) -> None:
    for name, job in load_workflow(path)["jobs"].items():
        if any("run" in step for step in job.get("steps", [])):
            assert job.get("container") == CONTAINER, name


def test_the_build_script_is_strict() -> None:
    assert "--strict" in (PROJECT / "scripts" / "build").read_text(encoding="utf-8")


def test_pull_request_uploads_the_built_site(pull_request: dict[str, Any]) -> None:
    uploads = [step for step in steps(pull_request) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads
    assert str(uploads[0]["with"]["path"]).rstrip("/") == "site"


def test_pull_request_summarises_the_catalogue_diff(pull_request: dict[str, Any]) -> None:
    step = step_running(pull_request, "patternbook diff")
    assert '--format markdown >> "$GITHUB_STEP_SUMMARY"' in step["run"]
    # The base commit reaches the script through the environment, not spliced into it.
    assert "${{" not in step["run"]
    assert step["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert step.get("if") == "${{ !cancelled() }}"
    job = next(job for job in pull_request["jobs"].values() if step in job["steps"])
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_pull_request_site_is_built_as_a_preview(pull_request: dict[str, Any]) -> None:
    step = step_running(pull_request, "scripts/build")
    assert step["env"]["PATTERNBOOK_PREVIEW_PR"] == "${{ github.event.pull_request.number }}"


def test_deploy_builds_with_the_whole_history(deploy: dict[str, Any]) -> None:
    checkout = next(s for s in steps(deploy) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert "PATTERNBOOK_PREVIEW_PR" not in str(deploy)


USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>\S+?)@(?P<ref>\S+)\s*(?:#\s*(?P<tag>\S+))?\s*$")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_actions_are_official_and_pinned_to_a_commit_with_its_tag(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert len(lines) == len(uses(load_workflow(path)))
    for line in lines:
        match = USES_LINE.match(line)
        assert match, line
        assert match["action"].startswith("actions/"), line
        assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), f"not pinned to a full commit SHA: {line}"
        assert match["tag"] and re.fullmatch(r"v\d+(\.\d+)*", match["tag"]), f"no release tag comment: {line}"


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or "zizmor"
    result = subprocess.run([zizmor, "--offline", "--min-severity", "medium", "--no-progress", str(GITHUB)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_dependabot_keeps_actions_and_the_lock_fresh() -> None:
    config = load_yaml(GITHUB / "dependabot.yml")
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert {"github-actions", "pip"} <= ecosystems


@pytest.mark.parametrize("path", [DRIFT_WORKFLOW, LINKS_WORKFLOW], ids=lambda path: path.name)
def test_scheduled_workflows_run_weekly(path: Path) -> None:
    on = triggers(load_workflow(path))
    assert on["schedule"] and all(entry["cron"].split()[4] != "*" for entry in on["schedule"])


# --- the weekly companion-repository check ----------------------------------------


def test_links_workflow_may_only_read_code_and_write_issues() -> None:
    workflow = load_workflow(LINKS_WORKFLOW)
    assert workflow["permissions"] == {}
    assert [job.get("permissions") for job in workflow["jobs"].values()] == [{"contents": "read", "issues": "write"}]
    assert "pull_request" not in triggers(workflow)


def test_links_workflow_keeps_one_issue_with_the_markdown_report() -> None:
    workflow = load_workflow(LINKS_WORKFLOW)
    check = step_running(workflow, "patternbook check-links")
    assert "--format markdown" in check["run"] and '> "$RUNNER_TEMP/report.md"' in check["run"]
    assert check["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}
    issue = step_running(workflow, "gh issue")
    # Values reach the script through the environment, never spliced into it.
    assert "${{" not in issue["run"] and "${{" not in check["run"]
    assert issue["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert issue["env"]["STATUS"] == "${{ steps.check.outputs.status }}" and check["id"] == "check"
    # One issue, found by its label: edited when open, created only when none is.
    assert 'gh issue list --label "$label" --state open --limit 1' in issue["run"]
    assert issue["run"].count("gh issue create") == 1 and "gh issue edit" in issue["run"]
    assert "gh issue close" in issue["run"]


# --- the deploy workflow --------------------------------------------------------


def test_deploy_runs_only_on_push_to_main(deploy: dict[str, Any]) -> None:
    on = triggers(deploy)
    assert set(on) == {"push"}
    assert on["push"]["branches"] == ["main"]


def test_deploy_publishes_with_deploy_pages(deploy: dict[str, Any]) -> None:
    actions = uses(deploy)
    assert any(action.startswith("actions/upload-pages-artifact@") for action in actions)
    assert any(action.startswith("actions/deploy-pages@") for action in actions)
    deploying = [job for job in deploy["jobs"].values()
                 if any(step.get("uses", "").startswith("actions/deploy-pages@") for step in job["steps"])]
    assert len(deploying) == 1
    job = deploying[0]
    environment = job["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == "github-pages"
    assert job["permissions"] == {"pages": "write", "id-token": "write"}


def test_deploy_permissions_are_minimal(deploy: dict[str, Any]) -> None:
    assert deploy["permissions"] == {"contents": "read"}
    for name, job in deploy["jobs"].items():
        granted = job.get("permissions", deploy["permissions"])
        assert set(granted.items()) <= {("contents", "read"), ("pages", "write"), ("id-token", "write")}, name
        if not any(step.get("uses", "").startswith("actions/deploy-pages@") for step in job.get("steps", [])):
            assert granted == {"contents": "read"}, name


# --- CODEOWNERS ------------------------------------------------------------------


def codeowners() -> dict[str, list[str]]:
    """Pattern → owners; the last matching line wins, as on GitHub."""
    rules: dict[str, list[str]] = {}
    for raw in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            pattern, *owners = line.split()
            rules[pattern] = owners
    return rules


def owners_of(path: str, rules: dict[str, list[str]]) -> list[str]:
    """Owners of a file by the subset of CODEOWNERS syntax this repository uses:
    anchored paths (``/src/``) and plain paths, directories ending in ``/``."""
    found: list[str] = []
    for pattern, owners in rules.items():
        anchored = pattern.lstrip("/")
        matches = path.startswith(anchored) if anchored.endswith("/") else path == anchored
        if matches:
            found = owners
    return found


@pytest.mark.parametrize("guarded", GUARDED_PATHS)
def test_codeowners_guards_the_build(guarded: str) -> None:
    example = guarded + "example.txt" if guarded.endswith("/") else guarded
    assert "@patternbook/maintainers" in owners_of(example, codeowners())


def test_codeowners_lines_are_well_formed() -> None:
    for pattern, owners in codeowners().items():
        assert owners, f"{pattern} has no owner"
        assert all(re.fullmatch(r"@[\w.-]+(/[\w.-]+)?", owner) for owner in owners), pattern


def test_a_pattern_bundle_is_not_owned_by_the_maintainers_alone() -> None:
    owners = owners_of("patterns/circuit-breaker/pattern.yaml", codeowners())
    assert owners and owners != ["@patternbook/maintainers"]


# --- pre-commit ------------------------------------------------------------------


def test_pre_commit_hooks_expose_the_validator() -> None:
    hooks = load_yaml(PROJECT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    by_id = {hook["id"]: hook for hook in hooks}
    hook = by_id["patternbook-validate"]
    assert hook["entry"] == "patternbook validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert re.search(hook["files"], "patterns/circuit-breaker/pattern.yaml")
    assert not re.search(hook["files"], "src/patternbook/cli/__init__.py")
    assert all(hook.get("name") for hook in hooks)


def test_pre_commit_config_parses() -> None:
    config = load_yaml(PROJECT / ".pre-commit-config.yaml")
    assert isinstance(config, dict)
    repos = {repo["repo"]: repo for repo in config["repos"]}
    for repo in repos.values():
        assert repo["hooks"], repo["repo"]
        assert all(hook.get("id") for hook in repo["hooks"])
    ruff = repos["https://github.com/astral-sh/ruff-pre-commit"]
    locked = re.search(r"^ruff==(\S+)", (PROJECT / "requirements" / "lock.txt").read_text(encoding="utf-8"), re.M)
    assert ruff["rev"] == f"v{locked[1]}", "the pre-commit ruff must be the locked ruff"
    local = {hook["id"]: hook for hook in repos["local"]["hooks"]}
    validate = local["patternbook-validate"]
    assert validate["entry"] == "patternbook validate patterns --strict"
    assert validate["language"] == "system"
    assert validate["pass_filenames"] is False


@pytest.mark.parametrize("name", ["pull-request.yml", "deploy.yml"])
def test_builds_restore_the_diagram_cache_keyed_by_the_lock_and_the_renderer(name: str) -> None:
    """A build and its validation start warm: ``.cache/patternbook`` is content-addressed, so an older
    copy is safe to restore."""
    workflow = load_workflow(GITHUB / "workflows" / name)
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    names = [step.get("name", "") for step in steps]
    caches = [step for step in steps if str(step.get("uses", "")).startswith("actions/cache@")]
    assert len(caches) == 1, name
    (cache,) = caches
    assert cache["with"]["path"] == ".cache/patternbook"
    key = cache["with"]["key"]
    assert "requirements/lock.txt" in key and "src/patternbook/diagrams/render.py" in key
    assert "RENDERER_VERSION" in (PROJECT / "src/patternbook/diagrams/render.py").read_text(encoding="utf-8")
    build = next(index for index, step in enumerate(steps) if step.get("run") == "bash scripts/build")
    assert names.index(cache["name"]) < build  # restored before the build draws anything
    validate = next(index for index, step in enumerate(steps) if "patternbook validate" in step.get("run", ""))
    assert names.index(cache["name"]) < validate  # and before validation checks any bundle
