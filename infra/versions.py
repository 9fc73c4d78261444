"""Pinned Helm charts and images: one place to bump, reviewed like code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Chart:
    repo: str
    name: str
    version: str


INGRESS_NGINX = Chart(
    repo="https://kubernetes.github.io/ingress-nginx", name="ingress-nginx", version="4.13.3"
)
CERT_MANAGER = Chart(repo="https://charts.jetstack.io", name="cert-manager", version="v1.18.2")
# Same release as the daprd built for local runs, so local and cluster behave alike.
DAPR = Chart(repo="https://dapr.github.io/helm-charts/", name="dapr", version="1.18.3")
STRIMZI = Chart(repo="https://strimzi.io/charts/", name="strimzi-kafka-operator", version="0.48.0")
KUBE_PROMETHEUS_STACK = Chart(
    repo="https://prometheus-community.github.io/helm-charts",
    name="kube-prometheus-stack",
    version="77.12.0",
)
LOKI = Chart(repo="https://grafana.github.io/helm-charts", name="loki", version="6.42.0")
PROMTAIL = Chart(repo="https://grafana.github.io/helm-charts", name="promtail", version="6.17.0")
JAEGER = Chart(repo="https://jaegertracing.github.io/helm-charts", name="jaeger", version="3.4.1")

KAFKA_VERSION = "4.1.0"
POSTGRES_IMAGE = "postgres:16.10-alpine"
