"""The workflows' deploy commands against the program and the docs.

Every `python -m infra.deploy` step of ci.yml, cd.yml and rollback.yml is evaluated by bash as
the runner would, then checked against the entry point's own parser, the state backend and
secrets provider of docs/deploy.md, and, per stack it runs, the config the program requires:
the stack file plus what the command sets must let `load_config` and the stack's planner run.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest

from infra.config import ConfigError, load_config
from infra.deploy.__main__ import parse
from scripts.ci.select_stacks import known_stacks
from stacks import plan_for
from tests.delivery.helpers import ROOT, WORKFLOWS, DeployStep, deploy_argv, deploy_steps
from tests.infra.harness import PROJECT, Recorder, apply_config, stack_config

DOCS = ROOT / "docs" / "deploy.md"
DEPLOY_WORKFLOWS = ("ci.yml", "cd.yml", "rollback.yml")
SECRET_REF = re.compile(r"^\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}$")
BACKEND = {
    "PULUMI_BACKEND_URL": "${{ vars.PULUMI_BACKEND_URL }}",
    "AWS_ACCESS_KEY_ID": "${{ secrets.AWS_ACCESS_KEY_ID }}",
    "AWS_SECRET_ACCESS_KEY": "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
    "PULUMI_CONFIG_PASSPHRASE": "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
}
# What the runner provides for the expressions the commands expand.
RUNNER_ENV = {"GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567", "OWNER": "Taskflow"}


def all_deploy_steps() -> list[DeployStep]:
    return [step for name in DEPLOY_WORKFLOWS for step in deploy_steps(WORKFLOWS / name)]


def stacks_of(step: DeployStep) -> list[str]:
    """The stacks a step runs: its STACK, or every stack for the preview matrix."""
    stack = step.env["STACK"]
    return known_stacks() if "matrix.stack" in stack else [stack]


def argv_for(step: DeployStep, stack: str) -> list[str]:
    env = {name: "" for name in step.env} | RUNNER_ENV | {"STACK": stack}
    env |= {"PREVIOUS": "", "TARGET": RUNNER_ENV["GITHUB_SHA"], "CURRENT": ""}
    return deploy_argv(step.run, env)


def step_id(step: DeployStep) -> str:
    return f"{step.workflow}:{step.job}:{step.name}"


@pytest.fixture(autouse=True)
def event_loop_for_pulumi() -> Iterator[None]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


def test_every_deploy_workflow_runs_the_entry_point() -> None:
    workflows = {step.workflow for step in all_deploy_steps()}
    assert workflows == set(DEPLOY_WORKFLOWS)
    for name in DEPLOY_WORKFLOWS:
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "pulumi up" not in re.sub(r"#.*|name:.*", "", text), name
        assert "PULUMI_ACCESS_TOKEN" not in text, f"{name}: Pulumi Cloud is not the backend"


@pytest.mark.parametrize("step", all_deploy_steps(), ids=step_id)
def test_deploy_command_parses_with_policy_pack(step: DeployStep) -> None:
    args = parse(argv_for(step, stacks_of(step)[0]))
    assert [str(p) for p in args.policy_pack] == ["policies"]
    assert args.diff
    if args.operation == "up":
        assert args.yes
    assert args.operation in ({"preview"} if step.workflow == "ci.yml" else {"up"})


@pytest.mark.parametrize("step", all_deploy_steps(), ids=step_id)
def test_deploy_step_uses_the_documented_backend_and_secrets(step: DeployStep) -> None:
    for name, value in BACKEND.items():
        assert step.env.get(name) == value, f"{step_id(step)}: {name}"
    args = parse(argv_for(step, stacks_of(step)[0]))
    docs = DOCS.read_text(encoding="utf-8")
    for _key, var in args.secret_env:
        match = SECRET_REF.match(step.env.get(var, ""))
        assert match and match.group(1) == var, f"{step_id(step)}: {var} must be secrets.{var}"
        assert f"`{var}`" in docs, f"docs/deploy.md does not list the secret {var}"


def test_docs_name_the_same_backend_and_secrets_provider() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for name in BACKEND:
        assert f"`{name}`" in docs, name
    assert "s3://" in docs and "--secrets-provider passphrase" in docs
    assert "PULUMI_ACCESS_TOKEN" not in docs


def load(stack: str, config: dict[str, str], secrets: dict[str, str]) -> None:
    """Runs the program's config loading and the stack's planner under Pulumi's mocks."""
    values = stack_config(stack)
    for key, value in (config | secrets).items():
        values[key if ":" in key else f"{PROJECT}:{key}"] = value
    apply_config(values)
    pulumi.runtime.set_mocks(Recorder(), project=PROJECT, stack=stack, preview=False)

    # pulumi.runtime.test settles every Output the program creates before returning, so no
    # pending work leaks into the next Pulumi run of the session.
    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def program() -> None:
        plan_for(load_config())

    program()


def cases() -> list[tuple[DeployStep, str]]:
    return [(step, stack) for step in all_deploy_steps() for stack in stacks_of(step)]


@pytest.mark.parametrize(
    ("step", "stack"), cases(), ids=[f"{step_id(s)}:{stack}" for s, stack in cases()]
)
def test_workflow_provides_every_key_the_program_requires(step: DeployStep, stack: str) -> None:
    args = parse(argv_for(step, stack))
    config = dict(args.config)
    secrets = {key: f"value-of-{var}" for key, var in args.secret_env}
    load(stack, config, secrets)  # raises ConfigError naming a missing key
    required = []
    for key in secrets:
        try:
            load(stack, config, {k: v for k, v in secrets.items() if k != key})
        except (ConfigError, ValueError) as error:
            assert key in str(error)
            required.append(key)
    assert "jwtSecret" in required, "the program always requires jwtSecret"


def test_cross_check_fails_when_a_required_secret_is_missing() -> None:
    with pytest.raises(ConfigError, match="jwtSecret"):
        load("oke", {"imageTag": RUNNER_ENV["GITHUB_SHA"]}, {"databaseUrl": "postgresql://x"})


def test_previews_cover_every_stack_file() -> None:
    files = sorted(p.name for p in Path(ROOT).glob("Pulumi.*.yaml"))
    assert [f"Pulumi.{stack}.yaml" for stack in known_stacks()] == files
