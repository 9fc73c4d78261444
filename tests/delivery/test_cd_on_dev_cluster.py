"""cd.yml's deploy job, run as written against a real API server (the dev cluster).

Its steps are taken from the workflow file, not retyped: "record the image now running" is
run by bash with the runner's GITHUB_OUTPUT, and the `infra.deploy` lines of the up and of
the automatic roll back are evaluated by bash as on the runner, with the job's env names
(PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, TASKFLOW_*). Three things differ, and only
these: STACK is minikube (the oke cluster is a cloud resource, under mocks), and
--work-dir / --onto-context are added so the run neither writes the repository's stack file
nor expects a cluster of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.dev_cluster.charts import stand_in_charts
from tests.delivery.helpers import WORKFLOWS, DeployStep, deploy_argv, deploy_steps, jobs, load_yaml
from tests.infra.dev_cluster import CONTEXT, ROOT, Deployer, DevCluster, running_cluster

# In CI the first of these may wait for the cold Go builds scripts/test runs in the background.
pytestmark = [pytest.mark.pulumi_cli, pytest.mark.timeout(3600)]

STACK = "minikube"
RUNNING = "1111111111111111111111111111111111111111"  # the release before this push
PUSHED = "2222222222222222222222222222222222222222"  # GITHUB_SHA of the push being deployed
CD = WORKFLOWS / "cd.yml"


@pytest.fixture(scope="module")
def deployer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployer]:
    base = tmp_path_factory.mktemp("cd")
    with running_cluster(base / "cluster") as cluster, stand_in_charts(base / "charts") as charts:
        deployer = Deployer.create(cluster, base / "pulumi", charts.env())
        # The release already running, deployed the way the dev cluster deploys.
        deployer.run("up", STACK, "--config", f"imageTag={RUNNING}")
        yield deployer


def _step(name_prefix: str) -> DeployStep:
    (step,) = [s for s in deploy_steps(CD) if s.name.startswith(name_prefix)]
    return step


def _job_env(deployer: Deployer, step: DeployStep, **values: str) -> dict[str, str]:
    """The runner's env for a step: the job's names, with this cluster's values behind them."""
    return {
        **{name: "" for name in step.env},
        **deployer.env,
        "PULUMI_BACKEND_URL": deployer.backend(),
        "TASKFLOW_OPENAI_API_KEY": "",
        "GITHUB_SHA": PUSHED,
        "OWNER": "Taskflow",
        "STACK": STACK,
        **values,
    }


def _run_deploy_step(deployer: Deployer, step: DeployStep, **values: str) -> str:
    env = _job_env(deployer, step, **values)
    argv = deploy_argv(step.run, env)
    proc = subprocess.run(
        [sys.executable, "-m", "infra.deploy", *argv,
         "--work-dir", str(deployer.workdir / "project"), "--onto-context", CONTEXT],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, f"{step.name}\n{proc.stdout[-6000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


def _record_running_image(deployer: Deployer, tmp_path: Path) -> dict[str, str]:
    """Runs the job's "record the image now running" script; returns what it wrote."""
    deploy_job = jobs(load_yaml(CD))["deploy"]
    (step,) = [s for s in deploy_job["steps"] if s.get("id") == "previous"]
    output = tmp_path / "github_output"
    output.touch()
    env = {**deployer.env, "PULUMI_BACKEND_URL": deployer.backend(), "STACK": STACK,
           "GITHUB_SHA": PUSHED, "GITHUB_OUTPUT": str(output)}  # fmt: skip
    subprocess.run(
        ["bash", "-eo", "pipefail", "-c", step["run"]],
        cwd=deployer.workdir / "project", env=env, check=True, timeout=120,
        capture_output=True, text=True,
    )  # fmt: skip
    return dict(line.split("=", 1) for line in output.read_text().splitlines())


def _outputs(deployer: Deployer) -> dict[str, Any]:
    proc = subprocess.run(
        ["pulumi", "stack", "output", "--json", "--stack", STACK],
        cwd=deployer.workdir / "project",
        env={**deployer.env, "PULUMI_BACKEND_URL": deployer.backend()},
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    outputs: dict[str, Any] = json.loads(proc.stdout)
    return outputs


def _api_image(cluster: DevCluster) -> str:
    (deployment,) = [d for d in cluster.items("deployments", namespace="taskflow")
                     if d["metadata"]["name"] == "api"]  # fmt: skip
    (image,) = [c["image"] for c in deployment["spec"]["template"]["spec"]["containers"]
                if "taskflow-api" in c["image"]]  # fmt: skip
    return str(image)


def test_cd_deploys_the_push_then_rolls_back_to_the_running_release(
    deployer: Deployer, tmp_path: Path
) -> None:
    recorded = _record_running_image(deployer, tmp_path)
    assert recorded["tag"] == RUNNING

    out = _run_deploy_step(deployer, _step("pulumi up"), PREVIOUS=recorded["history"])
    assert "taskflow-policies" in out, "cd's up runs without the policy pack"
    assert _api_image(deployer.cluster) == f"ghcr.io/taskflow/taskflow-api:{PUSHED}"
    outputs = _outputs(deployer)
    assert (outputs["imageTag"], outputs["previousImageTag"]) == (PUSHED, RUNNING)

    # The release failed its checks: the job's automatic roll back, to the recorded tag.
    _run_deploy_step(deployer, _step("roll back"), TARGET=recorded["tag"])
    assert _api_image(deployer.cluster) == f"ghcr.io/taskflow/taskflow-api:{RUNNING}"
    outputs = _outputs(deployer)
    assert (outputs["imageTag"], outputs["previousImageTag"]) == (RUNNING, PUSHED)
