"""Shared helpers for the delivery tests: repository paths, tools, contracts, PromQL."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
OBSERVABILITY = ROOT / "infra" / "observability"
DASHBOARDS = OBSERVABILITY / "dashboards"
RUNBOOKS = ROOT / "docs" / "runbooks"
DOCKER = ROOT / "docker"
CONTRACTS = ROOT / "docs" / "contracts.md"
DEPS = ROOT / "scripts" / "deps"

RUNBOOK_BASE = "https://github.com/taskflow/taskflow/blob/main/docs/runbooks/"


def missing(reason: str) -> NoReturn:
    """A required tool is absent: fail under CI, skip on a laptop."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


# --------------------------------------------------------------------------- tools


def cache_root() -> Path:
    configured = os.environ.get("TASKFLOW_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "taskflow"


def installer_version(script: str, variable: str) -> str:
    """The default version an installer script pins (`VAR="${VAR:-x.y.z}"`)."""
    text = (DEPS / script).read_text(encoding="utf-8")
    found = re.search(rf'{variable}="\$\{{{variable}:-([^}}]+)\}}"', text)
    assert found, f"{script} does not pin {variable}"
    return found.group(1)


def cached_tool(name: str, script: str, variable: str) -> Path:
    """Path of a tool installed by scripts/deps/<script>, or fail/skip."""
    version = os.environ.get(variable) or installer_version(script, variable)
    path = cache_root() / f"{name}-{version}" / name
    if path.is_file() and os.access(path, os.X_OK):
        return path
    missing(f"{name} not installed at {path}: run `bash scripts/deps/{script}`")


def venv_tool(name: str) -> Path | None:
    """A console script of the project's environment, else one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return beside
    found = shutil.which(name)
    return Path(found) if found else None


# --------------------------------------------------------------------------- YAML


def load_yaml(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` block (PyYAML reads the bare key `on` as boolean True)."""
    raw = workflow.get("on", workflow.get(True))
    if isinstance(raw, str):
        return {raw: None}
    if isinstance(raw, list):
        return {str(event): None for event in raw}
    assert isinstance(raw, dict), "workflow has no `on:` triggers"
    return raw


def jobs(workflow: dict[Any, Any]) -> dict[str, dict[str, Any]]:
    found = workflow.get("jobs")
    assert isinstance(found, dict) and found, "workflow has no jobs"
    return found


def needs_of(job: dict[str, Any]) -> list[str]:
    raw = job.get("needs", [])
    return [raw] if isinstance(raw, str) else list(raw)


def transitive_needs(all_jobs: dict[str, dict[str, Any]], name: str) -> set[str]:
    seen: set[str] = set()
    stack = needs_of(all_jobs[name])
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(needs_of(all_jobs[current]))
    return seen


# --------------------------------------------------------------------------- alerts


def alert_rules() -> list[dict[str, Any]]:
    document = load_yaml(OBSERVABILITY / "alerts.yaml")
    rules: list[dict[str, Any]] = [
        rule for group in document["spec"]["groups"] for rule in group["rules"] if "alert" in rule
    ]
    return rules


def kebab(name: str) -> str:
    """TaskflowDLQNotEmpty -> taskflow-dlq-not-empty."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", name).lower()


# --------------------------------------------------------------------------- metrics

_HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
_CONTRACT_METRIC = re.compile(
    r"`(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}`]*\})?`\s*(?P<kind>counter|gauge|histogram)?"
)


def contract_metrics(text: str | None = None) -> dict[str, str]:
    """Metric name -> type, from the "## Metrics" section of docs/contracts.md."""
    source = CONTRACTS.read_text(encoding="utf-8") if text is None else text
    section = re.search(r"^## Metrics.*?$(.*?)(?=^## |\Z)", source, re.M | re.S)
    assert section, "docs/contracts.md has no '## Metrics' section"
    return {
        match["name"]: match["kind"] or "counter"
        for match in _CONTRACT_METRIC.finditer(section.group(1))
    }


def allowed_series(metrics: dict[str, str]) -> set[str]:
    """Series names a query may select: histograms add _bucket/_sum/_count."""
    names = set(metrics)
    for name, kind in metrics.items():
        if kind == "histogram":
            names.update(name + suffix for suffix in _HISTOGRAM_SUFFIXES)
    return names


_PROMQL_KEYWORDS = {
    "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
    "group_left", "group_right", "inf", "nan", "atan2",
}  # fmt: skip
_STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'')
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_IDENT = re.compile(r"(?<![\w$.:])[a-zA-Z_:][a-zA-Z0-9_:]*")


def promql_metrics(expr: str) -> set[str]:
    """Metric names selected by a PromQL expression (not functions, labels or keywords)."""
    text = _STRING.sub('""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = _GROUPING.sub(" ", text)
    names: set[str] = set()
    for match in _IDENT.finditer(text):
        token = match.group(0)
        is_call = text[match.end() :].lstrip().startswith("(")
        if not is_call and token.lower() not in _PROMQL_KEYWORDS and not token.startswith("__"):
            names.add(token)
    return names


# --------------------------------------------------------------------------- deploy commands

DEPLOY_MODULE = "python -m infra.deploy"
_DEPLOY_PREFIX = re.compile(r"^\s*(?:uv run(?: --frozen)? )?python -m infra\.deploy\b")


@dataclass(frozen=True, kw_only=True)
class DeployStep:
    """A workflow step that runs `python -m infra.deploy`, with the env it runs under."""

    workflow: str
    job: str
    name: str
    run: str
    env: dict[str, str]


def deploy_steps(path: Path) -> list[DeployStep]:
    """Every infra.deploy step of a workflow; env = workflow + job + step env (raw values)."""
    workflow = load_yaml(path)
    found: list[DeployStep] = []
    for job_name, job in jobs(workflow).items():
        for step in job.get("steps", []):
            run = str(step.get("run", ""))
            if DEPLOY_MODULE not in run:
                continue
            env = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
            found.append(
                DeployStep(
                    workflow=path.name,
                    job=job_name,
                    name=str(step.get("name", "")),
                    run=run,
                    env={str(k): str(v) for k, v in env.items()},
                )
            )
    return found


def deploy_command(run: str) -> str:
    """The one `python -m infra.deploy ...` command of a run script (continuations joined,
    redirections and pipes after it dropped)."""
    joined = re.sub(r"\\\n\s*", " ", run)
    (line,) = [line for line in joined.splitlines() if DEPLOY_MODULE in line]
    return re.split(r"\s(?:\||2>&1|>)", line, maxsplit=1)[0].strip()


def deploy_argv(run: str, env: dict[str, str]) -> list[str]:
    """The arguments bash hands `python -m infra.deploy` in `run`, given `env`.

    The command is evaluated by bash itself (with `printf` in place of the program), so
    quoting and `${VAR,,}` expansions come out exactly as on the runner.
    """
    command = _DEPLOY_PREFIX.sub(lambda _: "printf '%s\\0'", deploy_command(run), count=1)
    result = subprocess.run(
        ["bash", "-c", f"set -u; {command}"],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split("\0")[:-1]
