"""GKE fallback; Kubernetes Secrets behind the Dapr secret store."""

from __future__ import annotations

from infra.clusters.gke import GkeClusterArgs
from infra.config import ConfigError, StackConfig
from infra.plan import StackPlan
from stacks.common import build_plan


def plan(cfg: StackConfig) -> StackPlan:
    if cfg.gke is None:
        raise ConfigError("target", "is gke but the gcp* keys were not read")
    gke = cfg.gke
    return build_plan(
        cfg,
        cluster=GkeClusterArgs(
            project=gke.project,
            location=gke.location,
            machine_type=gke.machine_type,
            node_count=gke.node_count,
        ),
        service_type="LoadBalancer",
        persistent_kafka=True,
        protect_state=True,
    )
