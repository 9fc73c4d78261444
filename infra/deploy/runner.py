"""One Pulumi operation on one stack, through the Automation API with the inline program."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pulumi import automation as auto

from infra.deploy import policy, workspace
from infra.stack_program import run as program

Operation = Literal["preview", "up", "destroy", "refresh"]
OPERATIONS: tuple[Operation, ...] = ("preview", "up", "destroy", "refresh")
PROJECT = "taskflow"


@dataclass(frozen=True, kw_only=True)
class Step:
    """A resource the engine touched: `op` is create, update, same, delete, replace, ..."""

    op: str
    type: str
    urn: str

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


@dataclass(frozen=True, kw_only=True)
class PolicyViolation:
    policy: str
    enforcement: str
    urn: str
    message: str


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What an operation did: counts per op, each resource step, policy violations."""

    changes: Mapping[str, int]
    steps: Sequence[Step]
    violations: Sequence[PolicyViolation]
    outputs: Mapping[str, object]

    def to_json(self) -> str:
        return json.dumps(
            {
                "changes": dict(self.changes),
                "steps": [{**dataclasses.asdict(s), "name": s.name} for s in self.steps],
                "violations": [dataclasses.asdict(v) for v in self.violations],
                "outputs": dict(self.outputs),
            },
            indent=2,
            default=str,
        )


@dataclass(frozen=True, kw_only=True)
class Request:
    operation: Operation
    stack: str
    work_dir: Path = workspace.ROOT
    # State backend URL (file://...); None keeps the CLI's login / PULUMI_BACKEND_URL.
    backend: str | None = None
    # `key` means `taskflow:key`; values are set on the stack before the operation.
    config: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    policy_packs: Sequence[Path] = ()
    # Deploy the plan's Kubernetes objects into this kube context; no cluster is created.
    onto_context: str | None = None
    # Extra environment of the CLI and its plugins (KUBECONFIG, proxies, ...).
    env: Mapping[str, str] = field(default_factory=dict)
    # Another inline program instead of the stack's (tests: a deliberately bad one).
    program: Callable[[], None] | None = None
    diff: bool = False
    expect_no_changes: bool = False
    on_output: Callable[[str], None] | None = None


def _qualified(key: str) -> str:
    return key if ":" in key else f"{PROJECT}:{key}"


def open_stack(request: Request) -> auto.Stack:
    """Selects (or creates) the stack in the request's work dir, with its config applied."""
    workspace.prepare(request.work_dir, request.stack)
    env = {"PULUMI_SKIP_UPDATE_CHECK": os.environ.get("PULUMI_SKIP_UPDATE_CHECK", "true")}
    env.update(request.env)
    if request.backend:
        env["PULUMI_BACKEND_URL"] = request.backend
    stack = auto.create_or_select_stack(
        stack_name=request.stack,
        project_name=PROJECT,
        program=request.program or functools.partial(program, request.onto_context),
        opts=auto.LocalWorkspaceOptions(work_dir=str(request.work_dir), env_vars=env),
    )
    values = {_qualified(k): auto.ConfigValue(v) for k, v in request.config.items()}
    values |= {_qualified(k): auto.ConfigValue(v, secret=True) for k, v in request.secrets.items()}
    if values:
        stack.set_all_config(values)
    return stack


class _Events:
    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.violations: list[PolicyViolation] = []

    def __call__(self, event: auto.events.EngineEvent) -> None:
        pre = event.resource_pre_event
        if pre is not None:
            meta = pre.metadata
            self.steps.append(Step(op=str(meta.op.value), type=meta.type, urn=meta.urn))
        pol = event.policy_event
        if pol is not None:
            self.violations.append(
                PolicyViolation(
                    policy=pol.policy_name,
                    enforcement=pol.enforcement_level,
                    urn=pol.resource_urn or "",
                    message=pol.message,
                )
            )


def _counts(changes: Mapping[Any, int] | None) -> dict[str, int]:
    """Change counts keyed by operation name (the SDK keys them by OpType or str)."""
    return {str(getattr(op, "value", op)): n for op, n in (changes or {}).items()}


def execute(request: Request) -> Outcome:
    """Runs the operation; raises auto.CommandError when the CLI fails (its output says why)."""
    stack = open_stack(request)
    events = _Events()
    with tempfile.TemporaryDirectory(prefix="taskflow-policy-") as tmp:
        packs = [
            str(policy.analyzer_launcher(pack, Path(tmp) / str(i)))
            for i, pack in enumerate(request.policy_packs)
        ]
        if request.operation in ("preview", "up"):
            # Both take the same options; only up has outputs.
            run = stack.preview if request.operation == "preview" else stack.up
            result = run(
                diff=request.diff,
                expect_no_changes=request.expect_no_changes or None,
                policy_packs=packs or None,
                on_output=request.on_output,
                on_event=events,
                color="never",
            )
            outputs: Mapping[str, object] = {}
            if isinstance(result, auto.UpResult):
                changes: Mapping[str, int] = _counts(result.summary.resource_changes)
                outputs = {k: v.value for k, v in result.outputs.items()}
            else:
                changes = _counts(result.change_summary)
        elif request.operation == "destroy":
            destroyed = stack.destroy(on_output=request.on_output, on_event=events, color="never")
            changes, outputs = _counts(destroyed.summary.resource_changes), {}
        else:
            refreshed = stack.refresh(
                expect_no_changes=request.expect_no_changes or None,
                on_output=request.on_output,
                on_event=events,
                color="never",
            )
            changes, outputs = _counts(refreshed.summary.resource_changes), {}
    return Outcome(
        changes=changes, steps=events.steps, violations=events.violations, outputs=outputs
    )
