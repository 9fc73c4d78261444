"""Builds a StackPlan into components, in dependency order, and exports the stack outputs."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from infra.clusters.aks import AksCluster, AksClusterArgs
from infra.clusters.gke import GkeCluster, GkeClusterArgs
from infra.clusters.minikube import MinikubeCluster, MinikubeClusterArgs
from infra.clusters.oke import OkeCluster, OkeClusterArgs
from infra.plan import ClusterArgs, StackPlan
from infra.platform_services.dapr import DaprControlPlane
from infra.platform_services.ingress import Edge
from infra.platform_services.observability import Observability
from infra.platform_services.postgres import InClusterPostgres
from infra.platform_services.strimzi import StrimziKafka
from infra.workloads.taskflow import TaskflowApp

RELEASE_NAMESPACE = "release"
PREVIOUS_IMAGE_TAG = "previousImageTag"


def build_cluster(args: ClusterArgs) -> MinikubeCluster | OkeCluster | AksCluster | GkeCluster:
    if isinstance(args, OkeClusterArgs):
        return OkeCluster("taskflow", args)
    if isinstance(args, AksClusterArgs):
        return AksCluster("taskflow", args)
    if isinstance(args, GkeClusterArgs):
        return GkeCluster("taskflow", args)
    if isinstance(args, MinikubeClusterArgs):
        return MinikubeCluster("taskflow", args)
    raise TypeError(f"unknown cluster args {type(args).__name__}")


def deploy(plan: StackPlan) -> TaskflowApp:
    """Creates every component of the plan on one cluster through its explicit provider."""
    cluster = build_cluster(plan.cluster)
    provider: k8s.Provider = cluster.provider

    def on_cluster(*after: pulumi.Resource) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(providers=[provider], depends_on=list(after))

    edge = Edge("edge", plan.edge, opts=on_cluster())
    dapr = DaprControlPlane("dapr", plan.dapr, opts=on_cluster())
    observability = Observability("observability", plan.observability, opts=on_cluster())
    platform: list[pulumi.Resource] = [edge, dapr, observability]
    if plan.kafka is not None:
        platform.append(StrimziKafka("kafka", plan.kafka, opts=on_cluster()))
    if plan.postgres is not None:
        platform.append(InClusterPostgres("postgres", plan.postgres, opts=on_cluster()))
    # The sidecar injector and CRDs must exist before any app pod is created.
    app = TaskflowApp("taskflow", plan.app, opts=on_cluster(*platform))

    pulumi.export("url", app.url)
    pulumi.export("otlpEndpoint", observability.otlp_endpoint)
    # Delivery reads these: CD records imageTag before `up` as the rollback target, and
    # passes it back as release:previousImageTag (a namespace of its own, so the project's
    # declared config stays closed) so the stack also says what ran before.
    pulumi.export("imageTag", plan.app.pod.image_tag)
    pulumi.export(
        "previousImageTag", pulumi.Config(RELEASE_NAMESPACE).get(PREVIOUS_IMAGE_TAG) or ""
    )
    if not isinstance(cluster, MinikubeCluster):
        pulumi.export("kubeconfig", cluster.kubeconfig)
    return app
