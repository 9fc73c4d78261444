"""What one stack deploys, as Args for each component; built by stacks/<target>.py."""

from __future__ import annotations

from dataclasses import dataclass

from infra.clusters.aks import AksClusterArgs
from infra.clusters.gke import GkeClusterArgs
from infra.clusters.minikube import MinikubeClusterArgs
from infra.clusters.oke import OkeClusterArgs
from infra.platform_services.dapr import DaprControlPlaneArgs
from infra.platform_services.ingress import EdgeArgs
from infra.platform_services.observability import ObservabilityArgs
from infra.platform_services.postgres import InClusterPostgresArgs
from infra.platform_services.strimzi import StrimziKafkaArgs
from infra.workloads.taskflow import TaskflowAppArgs

ClusterArgs = MinikubeClusterArgs | OkeClusterArgs | AksClusterArgs | GkeClusterArgs


@dataclass(frozen=True, kw_only=True)
class StackPlan:
    cluster: ClusterArgs
    edge: EdgeArgs
    dapr: DaprControlPlaneArgs
    observability: ObservabilityArgs
    # None when the stack uses a hosted broker (Redpanda Cloud) or Redis.
    kafka: StrimziKafkaArgs | None
    # None when the stack uses a managed database.
    postgres: InClusterPostgresArgs | None
    app: TaskflowAppArgs
