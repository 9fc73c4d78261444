"""Metrics, logs, traces: kube-prometheus-stack, Loki fed by Grafana Alloy, Jaeger v2,
Taskflow's rules and dashboards."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pulumi
import pulumi_kubernetes as k8s

from infra import versions
from infra.manifest import KubernetesManifest
from infra.platform_services.helm import helm_release
from infra.platform_services.observability_files import (
    OBSERVABILITY_DIR,
    load_dashboards,
    load_rule_groups,
    prometheus_rule,
)

MONITORING_NAMESPACE = "observability"
OTLP_GRPC_ENDPOINT = f"jaeger-collector.{MONITORING_NAMESPACE}.svc.cluster.local:4317"
DASHBOARD_FOLDER = "Taskflow"
SCRAPE_INTERVAL = "30s"


def _resources(cpu: str, memory: str, cpu_request: str = "50m") -> dict[str, Any]:
    return {
        "requests": {"cpu": cpu_request, "memory": memory},
        "limits": {"cpu": cpu, "memory": memory},
    }


# Memory limits per monitoring part; "small" totals 1472 Mi (< 1.5 GiB) to leave Minikube room.
MONITORING_LIMITS: dict[str, dict[str, str]] = {
    "small": {
        "prometheus": "512Mi",
        "grafana": "192Mi",
        "alertmanager": "64Mi",
        "operator": "96Mi",
        "kube-state-metrics": "64Mi",
        "node-exporter": "32Mi",
        "loki": "256Mi",
        "alloy": "64Mi",
        "jaeger": "192Mi",
    },
    "standard": {
        "prometheus": "2Gi",
        "grafana": "512Mi",
        "alertmanager": "256Mi",
        "operator": "256Mi",
        "kube-state-metrics": "256Mi",
        "node-exporter": "128Mi",
        "loki": "1Gi",
        "alloy": "256Mi",
        "jaeger": "1Gi",
    },
}
PROMETHEUS_STACK_PARTS = (
    "prometheus",
    "grafana",
    "alertmanager",
    "operator",
    "kube-state-metrics",
    "node-exporter",
)


@dataclass(frozen=True, kw_only=True)
class ObservabilityArgs:
    prometheus_retention: str
    loki_retention: str
    profile: Literal["small", "standard"]
    files_dir: Path = field(default=OBSERVABILITY_DIR)


def prometheus_stack_values(args: ObservabilityArgs) -> dict[str, Any]:
    mem = MONITORING_LIMITS[args.profile]
    return {
        "prometheus": {
            "prometheusSpec": {
                "scrapeInterval": SCRAPE_INTERVAL,
                "evaluationInterval": SCRAPE_INTERVAL,
                "retention": args.prometheus_retention,
                "resources": _resources("1", mem["prometheus"], "100m"),
                # Pick up PrometheusRules and PodMonitors from every namespace, not just Helm's.
                "ruleSelectorNilUsesHelmValues": False,
                "podMonitorSelectorNilUsesHelmValues": False,
                "serviceMonitorSelectorNilUsesHelmValues": False,
            }
        },
        "alertmanager": {
            "alertmanagerSpec": {"resources": _resources("100m", mem["alertmanager"])}
        },
        "prometheusOperator": {"resources": _resources("200m", mem["operator"])},
        "kube-state-metrics": {"resources": _resources("100m", mem["kube-state-metrics"])},
        "prometheus-node-exporter": {"resources": _resources("100m", mem["node-exporter"])},
        "grafana": {
            "resources": _resources("200m", mem["grafana"]),
            "sidecar": {
                "dashboards": {
                    "enabled": True,
                    "label": "grafana_dashboard",
                    "labelValue": "1",
                    "searchNamespace": "ALL",
                    "folderAnnotation": "grafana_folder",
                    "provider": {"foldersFromFilesStructure": True},
                }
            },
            "additionalDataSources": [
                {
                    "name": "Loki",
                    "type": "loki",
                    "url": f"http://loki.{MONITORING_NAMESPACE}.svc:3100",
                },
                {
                    "name": "Jaeger",
                    "type": "jaeger",
                    "url": f"http://jaeger-query.{MONITORING_NAMESPACE}.svc:16686",
                },
            ],
        },
    }


def loki_values(args: ObservabilityArgs) -> dict[str, Any]:
    return {
        "deploymentMode": "SingleBinary",
        "loki": {
            "auth_enabled": False,
            "commonConfig": {"replication_factor": 1},
            "storage": {"type": "filesystem"},
            "schemaConfig": {
                "configs": [
                    {
                        "from": "2024-01-01",
                        "store": "tsdb",
                        "object_store": "filesystem",
                        "schema": "v13",
                        "index": {"prefix": "index_", "period": "24h"},
                    }
                ]
            },
            "limits_config": {"retention_period": args.loki_retention},
            # Retention is only enforced when the compactor is allowed to delete.
            "compactor": {"retention_enabled": True, "delete_request_store": "filesystem"},
        },
        "singleBinary": {
            "replicas": 1,
            "resources": _resources("500m", MONITORING_LIMITS[args.profile]["loki"]),
        },
        "read": {"replicas": 0},
        "write": {"replicas": 0},
        "backend": {"replicas": 0},
        "chunksCache": {"enabled": False},
        "resultsCache": {"enabled": False},
        "gateway": {"enabled": False},
        "test": {"enabled": False},
        "lokiCanary": {"enabled": False},
    }


# Alloy tails pod logs through the Kubernetes API (loki.source.kubernetes), so it needs no
# hostPath mount and runs as one Deployment replica instead of a privileged DaemonSet.
ALLOY_CONFIG = f"""
discovery.kubernetes "pods" {{
  role = "pod"
}}

discovery.relabel "pods" {{
  targets = discovery.kubernetes.pods.targets
  rule {{
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }}
}}

loki.source.kubernetes "pods" {{
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
}}

loki.write "default" {{
  endpoint {{
    url = "http://loki.{MONITORING_NAMESPACE}.svc:3100/loki/api/v1/push"
  }}
}}
"""


def alloy_values(args: ObservabilityArgs) -> dict[str, Any]:
    return {
        "controller": {"type": "deployment", "replicas": 1},
        "alloy": {
            "configMap": {"create": True, "content": ALLOY_CONFIG},
            "mounts": {"varlog": False, "dockercontainers": False},
            "resources": _resources("200m", MONITORING_LIMITS[args.profile]["alloy"]),
        },
    }


def jaeger_values(args: ObservabilityArgs) -> dict[str, Any]:
    """Chart 4.x: the Jaeger v2 all-in-one (an OpenTelemetry Collector distribution that
    receives OTLP on 4317/4318), traces kept in memory."""
    return {
        "provisionDataStore": {"cassandra": False, "elasticsearch": False},
        "storage": {"type": "memory"},
        "allInOne": {
            "enabled": True,
            "resources": _resources("500m", MONITORING_LIMITS[args.profile]["jaeger"]),
        },
    }


class Observability(pulumi.ComponentResource):
    otlp_endpoint: str
    dashboard_names: list[str]

    def __init__(
        self, name: str, args: ObservabilityArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:platform:Observability", name, None, opts)
        stack = helm_release(
            "kube-prometheus-stack",
            versions.KUBE_PROMETHEUS_STACK,
            namespace=MONITORING_NAMESPACE,
            values=prometheus_stack_values(args),
            parent=self,
        )
        loki = helm_release(
            "loki",
            versions.LOKI,
            namespace=MONITORING_NAMESPACE,
            values=loki_values(args),
            parent=self,
        )
        helm_release(
            "alloy",
            versions.ALLOY,
            namespace=MONITORING_NAMESPACE,
            values=alloy_values(args),
            parent=self,
            depends_on=[loki],
        )
        helm_release(
            "jaeger",
            versions.JAEGER,
            namespace=MONITORING_NAMESPACE,
            values=jaeger_values(args),
            parent=self,
        )

        after_stack = pulumi.ResourceOptions(parent=self, depends_on=[stack])
        groups = load_rule_groups(args.files_dir / "alerts.yaml")
        if groups:
            KubernetesManifest(
                f"{name}-alerts",
                prometheus_rule("taskflow-alerts", MONITORING_NAMESPACE, groups),
                opts=after_stack,
            )
        dashboards = load_dashboards(args.files_dir / "dashboards")
        for stem, body in dashboards.items():
            k8s.core.v1.ConfigMap(
                f"{name}-dashboard-{stem}",
                metadata={
                    "name": f"taskflow-dashboard-{stem}",
                    "namespace": MONITORING_NAMESPACE,
                    "labels": {"grafana_dashboard": "1"},
                    "annotations": {"grafana_folder": DASHBOARD_FOLDER},
                },
                data={f"{stem}.json": body},
                opts=after_stack,
            )
        self.otlp_endpoint = OTLP_GRPC_ENDPOINT
        self.dashboard_names = sorted(dashboards)
        self.register_outputs(
            {"otlpEndpoint": OTLP_GRPC_ENDPOINT, "dashboards": self.dashboard_names}
        )
