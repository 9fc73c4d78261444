"""The whole Pulumi program as one function: `pulumi up` (infra/__main__.py) and the
Automation API's inline program (infra.deploy) run exactly this."""

from __future__ import annotations

import dataclasses

from infra.clusters.minikube import MinikubeClusterArgs
from infra.config import load_config
from infra.program import deploy
from stacks import plan_for


def run(onto_context: str | None = None) -> None:
    """Deploys the stack's plan. With `onto_context`, every Kubernetes object of the plan
    goes to that existing kubeconfig context and no cluster is created: the cloud stacks'
    workloads on a dev cluster (their cloud resources are proven under mocks only)."""
    plan = plan_for(load_config())
    if onto_context is not None:
        plan = dataclasses.replace(plan, cluster=MinikubeClusterArgs(context=onto_context))
    deploy(plan)
