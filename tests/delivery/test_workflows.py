"""GitHub Actions workflows: lint clean, least privilege, no plaintext secrets, gated deploys."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.delivery.helpers import (
    ROOT,
    WORKFLOWS,
    cached_tool,
    jobs,
    load_yaml,
    transitive_needs,
    triggers,
    workflow_files,
)

REQUIRED = ("ci.yml", "cd.yml", "rollback.yml")
DEPLOY_WORKFLOWS = ("cd.yml", "rollback.yml")

# Keys that hold credentials, and literal values that look like one.
_SECRET_KEY = re.compile(
    r"(?i)(passw(or)?d|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)"
)
_SECRET_LITERAL = re.compile(
    r"ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{20,}|gh[osu]_[A-Za-z0-9]{36}"
    r"|AKIA[0-9A-Z]{16}|pul-[0-9a-f]{40}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9]{20,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
)
_ASSIGNED_LITERAL = re.compile(
    r"(?i)\b[\w-]*(passw(or)?d|secret|token|api[_-]?key|access[_-]?key)[\w-]*\s*[:=]\s*"
    # Not `${{ ... }}`, `$VAR`, nor the NAME of an environment variable (--secret-env k=NAME).
    r"['\"]?(?!\$\{\{)(?!\$[A-Za-z_{])(?!(?-i:[A-Z][A-Z0-9_]*)\b)[A-Za-z0-9+/_\-.]{8,}"
)
_ALLOWED_SECRET_VALUE = re.compile(r"^\$\{\{\s*(secrets\.[A-Za-z0-9_]+|github\.token)\s*\}\}$")


def _workflow(name: str) -> dict[str, Any]:
    return load_yaml(WORKFLOWS / name)


def _walk(node: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    """Every (key path, value) pair of a parsed YAML tree."""
    pairs: list[tuple[tuple[str, ...], object]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            pairs.append(((*path, str(key)), value))
            pairs.extend(_walk(value, (*path, str(key))))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            pairs.extend(_walk(value, (*path, str(index))))
    return pairs


def plaintext_secret_findings(text: str) -> list[str]:
    """Lines of a workflow that assign a literal credential (or embed a known token)."""
    findings: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split(" #", 1)[0]
        if _SECRET_LITERAL.search(stripped) or _ASSIGNED_LITERAL.search(stripped):
            findings.append(f"{number}: {line.strip()}")
    return findings


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in jobs(workflow).values() for step in job.get("steps", [])]


# --------------------------------------------------------------------------- tests


def test_workflows_exist_for_ci_cd_and_rollback() -> None:
    present = {path.name for path in workflow_files()}
    assert set(REQUIRED) <= present


def test_actionlint_passes_on_every_workflow() -> None:
    actionlint = cached_tool("actionlint", "actionlint.sh", "ACTIONLINT_VERSION")
    result = subprocess.run(
        [str(actionlint), "-no-color", "-oneline", *map(str, workflow_files())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", workflow_files(), ids=lambda path: path.name)
def test_every_job_declares_permissions_when_workflow_runs(path: Path) -> None:
    workflow = load_yaml(path)
    assert workflow.get("permissions") == {}, f"{path.name}: top level must grant nothing"
    for job_name, job in jobs(workflow).items():
        assert "permissions" in job, f"{path.name}: job {job_name} declares no permissions"
        assert job["permissions"] not in ("write-all", "read-all"), f"{path.name}: {job_name}"


def test_deploy_job_needs_test_job_when_cd_runs() -> None:
    cd = jobs(_workflow("cd.yml"))
    ci_jobs = jobs(_workflow("ci.yml"))
    assert "test" in ci_jobs, "ci.yml has no `test` job"
    assert "bash .ci/run" in str(ci_jobs["test"]["steps"]), "ci.yml's test job must run the suite"
    deploy = [name for name, job in cd.items() if "environment" in job]
    assert deploy, "cd.yml has no job in an environment"
    for name in deploy:
        upstream = transitive_needs(cd, name)
        via_ci = {n for n in upstream if cd[n].get("uses") == "./.github/workflows/ci.yml"}
        assert "test" in upstream or via_ci, f"cd.yml: {name} does not need the test job"
        assert "build" in upstream, f"cd.yml: {name} does not need the image build"


def test_deploy_runs_in_protected_production_environment_when_deploying() -> None:
    for name in DEPLOY_WORKFLOWS:
        for job in jobs(_workflow(name)).values():
            if "environment" in job:
                environment = job["environment"]
                env_name = environment["name"] if isinstance(environment, dict) else environment
                assert env_name == "production"


def test_deploys_share_one_concurrency_group_when_cd_and_rollback_overlap() -> None:
    groups: set[str] = set()
    for name in DEPLOY_WORKFLOWS:
        for job_name, job in jobs(_workflow(name)).items():
            if "environment" in job:
                concurrency = job.get("concurrency")
                assert isinstance(concurrency, dict), f"{name}: {job_name} has no concurrency"
                assert concurrency.get("cancel-in-progress") is False
                groups.add(str(concurrency["group"]))
    assert len(groups) == 1, f"deploy jobs use different concurrency groups: {groups}"


def test_no_workflow_contains_plaintext_secret() -> None:
    for path in workflow_files():
        findings = plaintext_secret_findings(path.read_text(encoding="utf-8"))
        assert not findings, f"{path.name}: plaintext secret-looking values: {findings}"


def test_secret_named_values_come_from_secrets_context_when_set() -> None:
    for path in workflow_files():
        for keys, value in _walk(load_yaml(path)):
            key = keys[-1]
            if not isinstance(value, str) or not _SECRET_KEY.search(key):
                continue
            if key in {"secrets-provider"}:
                continue
            assert _ALLOWED_SECRET_VALUE.match(value.strip()), (
                f"{path.name}: {'.'.join(keys)} is not taken from ${{{{ secrets.* }}}}"
            )


def test_run_scripts_never_inline_or_echo_secrets() -> None:
    for path in workflow_files():
        workflow = load_yaml(path)
        secret_env: set[str] = set()
        for keys, value in _walk(workflow):
            if isinstance(value, str) and "secrets." in value and "env" in keys[:-1]:
                secret_env.add(keys[-1])
        for step in _steps(workflow):
            script = str(step.get("run", ""))
            assert "secrets." not in script, f"{path.name}: a run script inlines a secret"
            for name in secret_env:
                echoed = re.search(rf"(echo|printf)[^\n|]*\$\{{?{name}\b", script)
                assert not echoed, f"{path.name}: a run script echoes ${name}"


_USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
_VERSION_COMMENT = re.compile(r"^\s+#\s+v\d+(\.\d+){0,2}\s*$")


def unpinned_actions(text: str) -> list[str]:
    """`uses:` lines of external actions not pinned by full commit SHA with `# vX.Y.Z`."""
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _USES_LINE.match(line)
        if not match or match["ref"].startswith("./"):
            continue
        if not (_PINNED.match(match["ref"]) and _VERSION_COMMENT.match(match["rest"])):
            problems.append(f"{number}: {line.strip()}")
    return problems


def action_files() -> list[Path]:
    return [*workflow_files(), *sorted((ROOT / ".github" / "actions").glob("*/action.y*ml"))]


@pytest.mark.parametrize(
    "path", action_files(), ids=lambda path: path.parent.name + "/" + path.name
)
def test_external_actions_are_pinned_by_commit_sha_with_version(path: Path) -> None:
    assert unpinned_actions(path.read_text(encoding="utf-8")) == []


def test_pin_check_rejects_tags_and_bare_shas_when_planted() -> None:
    planted = (
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n"
        "        uses: docker/login-action@74a5d142  # v3.4.0\n"
        "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n"
        "      - uses: ./.github/actions/oci-cli\n"
    )
    assert [line.split(":")[0] for line in unpinned_actions(planted)] == ["1", "2", "3"]


def test_dependabot_keeps_actions_uv_and_docker_current() -> None:
    config = load_yaml(ROOT / ".github" / "dependabot.yml")
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert {"github-actions", "uv", "docker"} <= ecosystems
    docker = next(u for u in config["updates"] if u["package-ecosystem"] == "docker")
    dockerfile = ROOT / docker["directory"].lstrip("/") / "Dockerfile"
    # Dependabot reads base images only from literal FROM lines (no ARG indirection).
    froms = [line for line in dockerfile.read_text().splitlines() if line.startswith("FROM ")]
    assert froms and not any("$" in line for line in froms)


def test_cd_builds_images_in_parallel_with_gha_cache_when_pushing() -> None:
    build = jobs(_workflow("cd.yml"))["build"]
    assert set(build["strategy"]["matrix"]["image"]) == {"api", "web"}
    steps = {str(step.get("uses", "")).split("@")[0]: step for step in build["steps"]}
    assert "docker/setup-buildx-action" in steps
    push = steps["docker/build-push-action"]["with"]
    assert "type=gha" in push["cache-from"] and "type=gha" in push["cache-to"]
    assert "${{ github.sha }}" in push["tags"] and ":latest" in push["tags"]
    assert "if" in steps["docker/build-push-action"], "SHA tags must never be overwritten"
    assert build["permissions"] == {"contents": "read", "packages": "write"}


def test_cd_rolls_back_automatically_when_release_fails() -> None:
    deploy = jobs(_workflow("cd.yml"))["deploy"]
    rollback = [
        step
        for step in deploy["steps"]
        if "failure()" in str(step.get("if", "")) and "infra.deploy up" in str(step.get("run"))
    ]
    assert rollback, "cd.yml deploy has no automatic rollback step"
    assert rollback[0]["env"]["TARGET"] == "${{ steps.previous.outputs.tag }}"
    assert "imageTag=${TARGET}" in rollback[0]["run"]
    record = next(s for s in deploy["steps"] if s.get("id") == "previous")
    assert "pulumi stack output imageTag" in record["run"]


def test_rollback_is_manual_with_optional_target_when_dispatched() -> None:
    workflow = _workflow("rollback.yml")
    dispatch = triggers(workflow)["workflow_dispatch"]
    target = dispatch["inputs"]["target"]
    assert target["required"] is False and target["default"] == "previous"
    (job,) = jobs(workflow).values()
    assert job["timeout-minutes"] <= 15
    assert any("verify-release" in str(step.get("uses", "")) for step in job["steps"])


def test_ci_previews_stacks_as_pr_comment_when_pull_request() -> None:
    workflow = _workflow("ci.yml")
    assert "pull_request" in triggers(workflow)
    preview = jobs(workflow)["preview"]
    assert preview["permissions"].get("pull-requests") == "write"
    (step,) = [s for s in preview["steps"] if "infra.deploy preview" in str(s.get("run", ""))]
    assert "--diff" in step["run"] and "tee" in step["run"]
    (comment,) = [s for s in preview["steps"] if "comment-pull-request" in str(s.get("uses"))]
    assert comment["with"]["comment-tag"] == "preview-${{ matrix.stack }}"
    assert "always()" in comment["if"]
    changes = jobs(workflow)["changes"]
    assert any("scripts.ci.select_stacks" in str(s.get("run", "")) for s in changes["steps"])


def test_deploy_jobs_install_the_oci_cli_the_kubeconfig_calls() -> None:
    action = load_yaml(ROOT / ".github" / "actions" / "oci-cli" / "action.yml")
    version = action["inputs"]["version"]["default"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert 'pipx install "oci-cli==${OCI_CLI_VERSION}"' in str(action["runs"]["steps"])
    for name in DEPLOY_WORKFLOWS:
        steps = jobs(_workflow(name))[("deploy" if name == "cd.yml" else "rollback")]["steps"]
        uses = [str(step.get("uses", "")) for step in steps]
        kubeconfig = next(i for i, s in enumerate(steps) if "kubeconfig" in str(s.get("run", "")))
        assert uses.index("./.github/actions/oci-cli") < kubeconfig, name


def test_workflows_install_the_pulumi_cli_the_suite_builds() -> None:
    pinned = re.search(
        r'^PULUMI_VERSION="([^"]+)"', (ROOT / "scripts/deps/pulumi.sh").read_text(), re.M
    )
    assert pinned
    for name in ("ci.yml", "cd.yml", "rollback.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert f'PULUMI_VERSION: "{pinned.group(1)}"' in text, name
        assert "pulumi-version: ${{ env.PULUMI_VERSION }}" in text, name


def test_plaintext_secret_detector_flags_literal_when_planted() -> None:
    planted = "env:\n  API_TOKEN: abcdef0123456789\n  DB_PASSWORD: 'hunter2hunter2'\n"
    reference = "run: deploy --secret-env jwtSecret=TASKFLOW_JWT_SECRET\n"
    assert plaintext_secret_findings(reference) == []
    clean = "env:\n  API_TOKEN: ${{ secrets.API_TOKEN }}\n  github-token: ${{ github.token }}\n"
    assert len(plaintext_secret_findings(planted)) == 2
    assert plaintext_secret_findings(clean) == []
