"""The Taskflow app: namespace, secrets, Dapr resources, and per service a Deployment,
Service, PodDisruptionBudget and HPA; then the Ingress, NetworkPolicies and PodMonitor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from infra.contracts import SERVICES
from infra.manifest import KubernetesManifest
from infra.workloads.dapr_resources import DaprResources, DaprResourcesArgs
from infra.workloads.network import network_policies
from infra.workloads.pod import PodSettings, deployment_spec, labels
from infra.workloads.secrets import AppSecrets, AppSecretsArgs

TLS_SECRET = "taskflow-tls"
SCRAPE_INTERVAL = "30s"


@dataclass(frozen=True, kw_only=True)
class TaskflowAppArgs:
    namespace: str
    host: str
    issuer: str
    pod: PodSettings
    secrets: AppSecretsArgs
    dapr: DaprResourcesArgs
    hpa_min_replicas: int = 1
    hpa_max_replicas: int = 3
    hpa_cpu_utilization: int = 70


# The WebSocket lives on the realtime service, which consumes every task update; with
# use-regex the other paths are prefixes written as regular expressions.
UPDATES_PATH = "/api/[^/]+/updates"


def ingress_spec(host: str) -> k8s.networking.v1.IngressSpecArgsDict:
    def path(pattern: str, service: str, port: int) -> k8s.networking.v1.HTTPIngressPathArgsDict:
        return {
            "path": pattern,
            "path_type": "ImplementationSpecific",
            "backend": {"service": {"name": service, "port": {"number": port}}},
        }

    ports = {s.name: s.port for s in SERVICES}
    return {
        "ingress_class_name": "nginx",
        "tls": [{"hosts": [host], "secret_name": TLS_SECRET}],
        "rules": [
            {
                "host": host,
                "http": {
                    "paths": [
                        path(UPDATES_PATH, "realtime", ports["realtime"]),
                        path("/api", "api", ports["api"]),
                        path("/", "web", ports["web"]),
                    ]
                },
            }
        ],
    }


def hpa_spec(
    deployment: str, args: TaskflowAppArgs
) -> k8s.autoscaling.v2.HorizontalPodAutoscalerSpecArgsDict:
    return {
        "scale_target_ref": {"api_version": "apps/v1", "kind": "Deployment", "name": deployment},
        "min_replicas": args.hpa_min_replicas,
        "max_replicas": args.hpa_max_replicas,
        "metrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {
                        "type": "Utilization",
                        "average_utilization": args.hpa_cpu_utilization,
                    },
                },
            }
        ],
    }


def pod_monitor(namespace: str) -> dict[str, Any]:
    """Scrape every Taskflow pod's /metrics and its Dapr sidecar's metrics port."""
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": {"name": "taskflow", "namespace": namespace},
        "spec": {
            "selector": {"matchLabels": {"app.kubernetes.io/part-of": "taskflow"}},
            "podMetricsEndpoints": [
                {"port": "http", "path": "/metrics", "interval": SCRAPE_INTERVAL},
                {"port": "dapr-metrics", "path": "/", "interval": SCRAPE_INTERVAL},
            ],
        },
    }


class TaskflowApp(pulumi.ComponentResource):
    url: str

    def __init__(
        self, name: str, args: TaskflowAppArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:workloads:TaskflowApp", name, None, opts)
        ns = args.namespace
        namespace = k8s.core.v1.Namespace(
            f"{name}-ns",
            metadata={"name": ns, "labels": {"app.kubernetes.io/part-of": "taskflow"}},
            opts=pulumi.ResourceOptions(parent=self),
        )
        in_ns = pulumi.ResourceOptions(parent=self, depends_on=[namespace])
        secrets = AppSecrets(f"{name}-secrets", args.secrets, opts=in_ns)
        dapr = DaprResources(f"{name}-dapr", args.dapr, opts=in_ns)
        # Pods start only once their secrets and Dapr components exist, or daprd fails init.
        ready = pulumi.ResourceOptions(parent=self, depends_on=[namespace, secrets, dapr])

        for service in SERVICES:
            meta: k8s.meta.v1.ObjectMetaArgsDict = {
                "name": service.name,
                "namespace": ns,
                "labels": labels(service),
            }
            service_spec: k8s.core.v1.ServiceSpecArgsDict = {
                "type": "ClusterIP",
                "selector": labels(service),
                "ports": [{"name": "http", "port": service.port, "target_port": "http"}],
            }
            # maxUnavailable, not minAvailable: with one replica a drain must still succeed.
            pdb_spec: k8s.policy.v1.PodDisruptionBudgetSpecArgsDict = {
                "max_unavailable": 1,
                "selector": {"match_labels": labels(service)},
            }
            k8s.apps.v1.Deployment(
                f"{name}-{service.name}",
                metadata=meta,
                spec=deployment_spec(service, args.pod),
                opts=ready,
            )
            k8s.core.v1.Service(
                f"{name}-{service.name}-svc",
                metadata=meta,
                spec=service_spec,
                opts=in_ns,
            )
            k8s.policy.v1.PodDisruptionBudget(
                f"{name}-{service.name}-pdb",
                metadata=meta,
                spec=pdb_spec,
                opts=in_ns,
            )
            k8s.autoscaling.v2.HorizontalPodAutoscaler(
                f"{name}-{service.name}-hpa",
                metadata=meta,
                spec=hpa_spec(service.name, args),
                opts=in_ns,
            )

        k8s.networking.v1.Ingress(
            f"{name}-ingress",
            metadata={
                "name": "taskflow",
                "namespace": ns,
                "annotations": {
                    "cert-manager.io/cluster-issuer": args.issuer,
                    "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
                    "nginx.ingress.kubernetes.io/use-regex": "true",
                    # WebSockets stay open; nginx's 60 s default would cut them.
                    "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
                },
            },
            spec=ingress_spec(args.host),
            opts=in_ns,
        )
        for policy, spec in network_policies().items():
            k8s.networking.v1.NetworkPolicy(
                f"{name}-netpol-{policy}",
                metadata={"name": policy, "namespace": ns},
                spec=spec,
                opts=in_ns,
            )
        KubernetesManifest(f"{name}-podmonitor", pod_monitor(ns), opts=in_ns)
        self.url = f"https://{args.host}"
        self.register_outputs({"url": self.url})
