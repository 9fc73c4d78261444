"""Builders for the resource props and args the policy tests feed to validators."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

DEPLOYMENT = "kubernetes:apps/v1:Deployment"


class Report:
    """A list-collecting ``report_violation``."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __call__(self, message: str, urn: str | None = None) -> None:
        self.messages.append(message)


def resource(resource_type: str, props: dict[str, Any], name: str = "test") -> SimpleNamespace:
    """What CrossGuard passes a resource validator: type token, camelCase props, name."""
    return SimpleNamespace(resource_type=resource_type, props=props, name=name)


def good_container(**overrides: Any) -> dict[str, Any]:
    """A container that satisfies every rule; ``overrides`` replace top-level fields."""
    container: dict[str, Any] = {
        "name": "api",
        "image": "ghcr.io/example/taskflow-api:3f2c1e9",
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"cpu": "500m", "memory": "256Mi"},
        },
        "securityContext": {
            "runAsNonRoot": True,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "readinessProbe": {"httpGet": {"path": "/readyz", "port": 8000}},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8000}},
        "env": [{"name": "PORT", "value": "8000"}],
    }
    container.update(overrides)
    return container


def dapr_annotations(app_id: str = "taskflow-api", port: str = "8000") -> dict[str, str]:
    return {"dapr.io/enabled": "true", "dapr.io/app-id": app_id, "dapr.io/app-port": port}


def deployment(
    *containers: dict[str, Any],
    init_containers: list[dict[str, Any]] | None = None,
    pod_security_context: dict[str, Any] | None = None,
    pod_annotations: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Props of a Taskflow Deployment (part-of=taskflow, Dapr-annotated unless overridden)."""
    pod_spec: dict[str, Any] = {"containers": list(containers or [good_container()])}
    if init_containers is not None:
        pod_spec["initContainers"] = init_containers
    if pod_security_context is not None:
        pod_spec["securityContext"] = pod_security_context
    metadata: dict[str, Any] = {
        "name": "taskflow-api",
        "namespace": "taskflow",
        "labels": {"app.kubernetes.io/part-of": "taskflow"} if labels is None else labels,
    }
    if annotations is not None:
        metadata["annotations"] = annotations
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "template": {
                "metadata": {
                    "annotations": dapr_annotations()
                    if pod_annotations is None
                    else pod_annotations
                },
                "spec": pod_spec,
            }
        },
    }
