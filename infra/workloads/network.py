"""NetworkPolicies for the app namespace: deny by default, then only the flows the design needs."""

from __future__ import annotations

import pulumi_kubernetes as k8s

from infra.contracts import SERVICES
from infra.platform_services.dapr import DAPR_NAMESPACE
from infra.platform_services.ingress import INGRESS_NAMESPACE
from infra.platform_services.observability import MONITORING_NAMESPACE
from infra.platform_services.postgres import POSTGRES_NAMESPACE
from infra.platform_services.strimzi import KAFKA_NAMESPACE
from infra.workloads.pod import DAPR_METRICS_PORT, PART_OF

DAPR_INTERNAL_GRPC = 50002
# realtime serves the live-updates WebSocket that browsers open through the ingress.
PUBLIC_SERVICES = ("api", "realtime", "web")
# Managed database, hosted Kafka, LLM API and the Kubernetes API (the Dapr Kubernetes secret store).
EXTERNAL_EGRESS_PORTS = (443, 5432, 6443, 9092, 9093, 6379)

PolicySpec = k8s.networking.v1.NetworkPolicySpecArgsDict
IngressRule = k8s.networking.v1.NetworkPolicyIngressRuleArgsDict


def _namespace(name: str) -> k8s.networking.v1.NetworkPolicyPeerArgsDict:
    return {"namespace_selector": {"match_labels": {"kubernetes.io/metadata.name": name}}}


def _tcp(*ports: int) -> list[k8s.networking.v1.NetworkPolicyPortArgsDict]:
    return [{"protocol": "TCP", "port": port} for port in ports]


def _app_pods() -> k8s.meta.v1.LabelSelectorArgsDict:
    return {"match_labels": {"app.kubernetes.io/part-of": PART_OF}}


def network_policies() -> dict[str, PolicySpec]:
    """Policy name -> spec. Pods are isolated in both directions by the first one."""
    public = [s for s in SERVICES if s.name in PUBLIC_SERVICES]
    app_ports = sorted({s.port for s in SERVICES})
    from_ingress: IngressRule = {
        "from_": [_namespace(INGRESS_NAMESPACE)],
        "ports": _tcp(*(s.port for s in public)),
    }
    from_monitoring: IngressRule = {
        "from_": [_namespace(MONITORING_NAMESPACE)],
        "ports": _tcp(*app_ports, DAPR_METRICS_PORT),
    }
    from_sidecars: IngressRule = {
        "from_": [{"pod_selector": _app_pods()}],
        "ports": _tcp(DAPR_INTERNAL_GRPC),
    }
    return {
        "default-deny": {"pod_selector": {}, "policy_types": ["Ingress", "Egress"]},
        "allow-from-ingress": {
            "pod_selector": {
                "match_expressions": [
                    {
                        "key": "app.kubernetes.io/name",
                        "operator": "In",
                        "values": [s.name for s in public],
                    }
                ]
            },
            "policy_types": ["Ingress"],
            "ingress": [from_ingress],
        },
        "allow-scrape": {
            "pod_selector": _app_pods(),
            "policy_types": ["Ingress"],
            "ingress": [from_monitoring],
        },
        "allow-dapr-mesh": {
            "pod_selector": _app_pods(),
            "policy_types": ["Ingress"],
            "ingress": [from_sidecars],
        },
        "allow-egress": {
            "pod_selector": _app_pods(),
            "policy_types": ["Egress"],
            "egress": [
                {
                    "to": [_namespace("kube-system")],
                    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                },
                {"to": [_namespace(DAPR_NAMESPACE)]},
                {"to": [_namespace(KAFKA_NAMESPACE)], "ports": _tcp(9092)},
                {"to": [_namespace(POSTGRES_NAMESPACE)], "ports": _tcp(5432)},
                {"to": [_namespace(MONITORING_NAMESPACE)], "ports": _tcp(4317, 4318)},
                {"to": [{"pod_selector": _app_pods()}], "ports": _tcp(DAPR_INTERNAL_GRPC)},
                {
                    "to": [{"ip_block": {"cidr": "0.0.0.0/0"}}],
                    "ports": _tcp(*EXTERNAL_EGRESS_PORTS),
                },
            ],
        },
    }
