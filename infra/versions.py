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
# Keep equal to scripts/deps/crds/versions.env (the dev cluster installs these CRDs).
CERT_MANAGER = Chart(repo="https://charts.jetstack.io", name="cert-manager", version="v1.21.2")
# Same release as the daprd built for local runs, so local and cluster behave alike.
DAPR = Chart(repo="https://dapr.github.io/helm-charts/", name="dapr", version="1.18.3")
# 1.x serves only the kafka.strimzi.io/v1 API (ADR 0705).
STRIMZI = Chart(repo="https://strimzi.io/charts/", name="strimzi-kafka-operator", version="1.2.0")
KUBE_PROMETHEUS_STACK = Chart(
    repo="https://prometheus-community.github.io/helm-charts",
    name="kube-prometheus-stack",
    version="88.0.1",
)
LOKI = Chart(repo="https://grafana.github.io/helm-charts", name="loki", version="6.42.0")
# Promtail reached end of life on 2026-03-02; Alloy is its successor (ADR 0704).
ALLOY = Chart(repo="https://grafana.github.io/helm-charts", name="alloy", version="1.11.1")
# Chart 4.x deploys Jaeger v2 (built on the OpenTelemetry Collector); v1 ended 2025-12-31.
JAEGER = Chart(repo="https://jaegertracing.github.io/helm-charts", name="jaeger", version="4.0.1")

# A Kafka version Strimzi 1.2 supports (4.2.x and 4.3.x).
KAFKA_VERSION = "4.3.1"
POSTGRES_IMAGE = "postgres:16.10-alpine"
