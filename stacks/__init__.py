"""Per-target mapping from StackConfig to the component Args of a StackPlan."""

from __future__ import annotations

from collections.abc import Callable

from infra.config import StackConfig, Target
from infra.plan import StackPlan
from stacks import aks, gke, minikube, oke

PLANNERS: dict[Target, Callable[[StackConfig], StackPlan]] = {
    "minikube": minikube.plan,
    "oke": oke.plan,
    "aks": aks.plan,
    "gke": gke.plan,
}


def plan_for(cfg: StackConfig) -> StackPlan:
    return PLANNERS[cfg.target](cfg)
