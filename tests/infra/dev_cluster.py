"""Test helpers for the real API server: the dev cluster, deploys through infra.deploy,
and reads of what the cluster holds.

Binaries come from scripts/deps/kube.sh and scripts/deps/pulumi.sh (a cold build takes long
on two cores); without them the tests are skipped, naming the script to run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = "taskflow-dev"
TIMEOUT = 1200


def built(dep: str) -> Path:
    """The bin dir of scripts/deps/<dep>.sh. In CI the script runs in full: it waits for the
    build scripts/test started in the background (or builds). Elsewhere: skip if not built."""
    in_ci = os.environ.get("CI") == "true"
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "deps" / f"{dep}.sh"), *([] if in_ci else ["--installed"])],
        capture_output=True,
        text=True,
        check=False,
        timeout=90 * 60 if in_ci else None,
    )
    if proc.returncode != 0:
        message = f"not built: run `bash scripts/deps/{dep}.sh`"
        if in_ci:
            pytest.fail(f"{message}: the build failed\n{proc.stderr[-4000:]}")
        pytest.skip(message)
    return Path(proc.stdout.strip())


@dataclass(frozen=True, kw_only=True)
class DevCluster:
    state: Path
    kubeconfig: Path
    kube_bin: Path

    def kubectl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(self.kube_bin / "kubectl"), "--kubeconfig", str(self.kubeconfig), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)}: {proc.stderr}")
        return proc

    def items(self, kind: str, *, namespace: str | None = None) -> list[dict[str, Any]]:
        scope = ["-n", namespace] if namespace else ["-A"]
        out = self.kubectl("get", kind, *scope, "-o", "json").stdout
        items: list[dict[str, Any]] = json.loads(out)["items"]
        return items

    def exists(self, kind: str, name: str, namespace: str | None) -> bool:
        scope = ["-n", namespace] if namespace else []
        proc = self.kubectl("get", kind, name, *scope, "-o", "name", check=False)
        if proc.returncode == 0:
            return True
        assert "NotFound" in proc.stderr, proc.stderr
        return False


def dev_cluster_script(state: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """Runs scripts/dev-cluster with its state in `state`; returns stdout."""
    proc = subprocess.run(
        [str(ROOT / "scripts" / "dev-cluster"), *args],
        env={**os.environ, **(env or {}), "TASKFLOW_CLUSTER_DIR": str(state)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    (state.parent / f"dev-cluster-{args[0]}.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise AssertionError(
            f"scripts/dev-cluster {' '.join(args)} exited {proc.returncode}\n"
            f"{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
        )
    return proc.stdout


@contextmanager
def running_cluster(state: Path) -> Iterator[DevCluster]:
    kube_bin = built("kube")
    built("pulumi")
    out = dev_cluster_script(state, "up")
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("KUBECONFIG="), out
    try:
        yield DevCluster(
            state=state, kubeconfig=Path(lines[0].removeprefix("KUBECONFIG=")), kube_bin=kube_bin
        )
    finally:
        dev_cluster_script(state, "down")


@dataclass(frozen=True, kw_only=True)
class Deployed:
    returncode: int
    stdout: str
    summary: dict[str, Any]

    def ops(self) -> dict[str, int]:
        changes: dict[str, int] = self.summary.get("changes", {})
        return changes


@dataclass(kw_only=True)
class Deployer:
    """`python -m infra.deploy` against a dev cluster, with state in `workdir`."""

    cluster: DevCluster
    workdir: Path
    env: Mapping[str, str]
    runs: int = field(default=0)

    @classmethod
    def create(cls, cluster: DevCluster, workdir: Path, extra_env: Mapping[str, str]) -> Deployer:
        pulumi_bin = built("pulumi")
        (workdir / "state").mkdir(parents=True, exist_ok=True)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")},
            **extra_env,
            "PATH": f"{pulumi_bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "PULUMI_HOME": str(workdir / "home"),
            "PULUMI_CONFIG_PASSPHRASE": "throw-away-test-passphrase",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "KUBECONFIG": str(cluster.kubeconfig),
            "NO_COLOR": "1",
            "TASKFLOW_JWT_SECRET": "dev-cluster-test-jwt-secret-0123456789",
            "TASKFLOW_POSTGRES_PASSWORD": "dev-cluster-test-pg-pass",
            "TASKFLOW_DATABASE_URL": "postgresql+psycopg://taskflow:pw@db.invalid:5432/taskflow",
        }
        return cls(cluster=cluster, workdir=workdir, env=env)

    def backend(self) -> str:
        return f"file://{self.workdir / 'state'}"

    def run(self, operation: str, stack: str, *extra: str, check: bool = True) -> Deployed:
        self.runs += 1
        summary = self.workdir / f"{self.runs:02d}-{operation}-{stack}.json"
        secrets = ("jwtSecret=TASKFLOW_JWT_SECRET",) + (
            ("postgresPassword=TASKFLOW_POSTGRES_PASSWORD",)
            if stack == "minikube"
            else ("databaseUrl=TASKFLOW_DATABASE_URL",)
        )
        args = [
            sys.executable, "-m", "infra.deploy", operation,
            "--stack", stack,
            "--work-dir", str(self.workdir / "project"),
            "--backend", self.backend(),
            "--onto-context", CONTEXT,
            "--summary-json", str(summary),
            *(a for s in secrets for a in ("--secret-env", s)),
            *(("--yes",) if operation in ("up", "destroy") else ()),
            *extra,
        ]  # fmt: skip
        proc = subprocess.run(
            args, cwd=ROOT, env=dict(self.env), capture_output=True, text=True,
            timeout=TIMEOUT, check=False,
        )  # fmt: skip
        (summary.with_suffix(".log")).write_text(proc.stdout + proc.stderr)
        if check and proc.returncode != 0:
            raise AssertionError(
                f"infra.deploy {operation} {stack} exited {proc.returncode}\n"
                f"{proc.stdout[-8000:]}\n{proc.stderr[-8000:]}"
            )
        data = json.loads(summary.read_text()) if summary.exists() else {}
        return Deployed(returncode=proc.returncode, stdout=proc.stdout, summary=data)

    def export(self, stack: str) -> list[dict[str, Any]]:
        """The stack's resources from its state (`pulumi stack export`)."""
        proc = subprocess.run(
            ["pulumi", "stack", "export", "--stack", stack, "--show-secrets"],
            cwd=self.workdir / "project",
            env={**self.env, "PULUMI_BACKEND_URL": self.backend()},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        resources: list[dict[str, Any]] = json.loads(proc.stdout)["deployment"].get("resources", [])
        return resources


@dataclass(frozen=True, kw_only=True)
class ClusterObject:
    kind: str  # kubectl form: Kind.version.group (or Kind for the core group)
    name: str
    namespace: str | None


def objects_of(resources: Sequence[dict[str, Any]]) -> list[ClusterObject]:
    """The Kubernetes objects the program created (Helm releases and providers excluded)."""
    found = []
    for res in resources:
        typ = str(res["type"])
        if not typ.startswith("kubernetes:") or typ.startswith("kubernetes:helm.sh"):
            continue
        _, group_version, kind = typ.split(":")
        group, _, version = group_version.rpartition("/")
        group = "" if group == "core" else group
        meta = res.get("outputs", {}).get("metadata", {})
        resource = f"{kind}.{version}.{group}" if group else kind
        found.append(
            ClusterObject(kind=resource, name=meta["name"], namespace=meta.get("namespace"))
        )
    return found


def wait_until(what: str, predicate: Any, timeout: float = 120) -> None:
    """Polls `predicate` once a second until it is true (asynchronous controllers)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not true after {timeout:.0f}s")
        time.sleep(1)
