"""Minikube: existing kube context, NodePort ingress, ephemeral Kafka, in-cluster Postgres."""

from __future__ import annotations

from infra.clusters.minikube import MinikubeClusterArgs
from infra.config import StackConfig
from infra.plan import StackPlan
from stacks.common import build_plan


def plan(cfg: StackConfig) -> StackPlan:
    return build_plan(
        cfg,
        cluster=MinikubeClusterArgs(context=cfg.kube_context),
        service_type="NodePort",
        persistent_kafka=False,
    )
