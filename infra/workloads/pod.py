"""Pure builders for one service's pod template and Deployment spec (snake_case input dicts)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_kubernetes as k8s

from infra.contracts import Service
from infra.dapr import components

PART_OF = "taskflow"
DAPR_HTTP_PORT = 3500
DAPR_METRICS_PORT = 9090


@dataclass(frozen=True, kw_only=True)
class PodSettings:
    image_registry: str
    image_tag: str
    environment: str
    app_secret: str
    otlp_endpoint: str
    sampling_rate: float
    openai_model: str
    log_level: str = "INFO"


def labels(service: Service) -> dict[str, str]:
    return {"app.kubernetes.io/name": service.name, "app.kubernetes.io/part-of": PART_OF}


def image(service: Service, settings: PodSettings) -> str:
    return f"{settings.image_registry}/taskflow-{service.image}:{settings.image_tag}"


def dapr_annotations(service: Service) -> dict[str, str]:
    return {
        "dapr.io/enabled": "true",
        "dapr.io/app-id": service.app_id,
        "dapr.io/app-port": str(service.port),
        "dapr.io/config": components.CONFIGURATION,
        "dapr.io/enable-metrics": "true",
        "dapr.io/metrics-port": str(DAPR_METRICS_PORT),
        "dapr.io/log-as-json": "true",
        # The injected sidecar gets requests and limits too, so every container is bounded.
        "dapr.io/sidecar-cpu-request": "50m",
        "dapr.io/sidecar-memory-request": "64Mi",
        "dapr.io/sidecar-cpu-limit": "300m",
        "dapr.io/sidecar-memory-limit": "256Mi",
    }


def _env(service: Service, settings: PodSettings) -> list[k8s.core.v1.EnvVarArgsDict]:
    plain = {
        "ENVIRONMENT": settings.environment,
        "PORT": str(service.port),
        "LOG_LEVEL": settings.log_level,
        "EVENT_TRANSPORT": "dapr",
        "DAPR_HTTP_PORT": str(DAPR_HTTP_PORT),
        "DAPR_PUBSUB_NAME": components.PUBSUB,
        "DAPR_STATE_STORE": components.STATESTORE,
        "DAPR_SECRET_STORE": components.SECRETSTORE,
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://{settings.otlp_endpoint}",
        "OTEL_TRACES_SAMPLER_ARG": f"{settings.sampling_rate:g}",
        "OPENAI_MODEL": settings.openai_model,
        **dict(service.env),
    }
    env: list[k8s.core.v1.EnvVarArgsDict] = [{"name": k, "value": v} for k, v in plain.items()]
    for key, optional in (("DATABASE_URL", False), ("JWT_SECRET", False), ("OPENAI_API_KEY", True)):
        env.append(
            {
                "name": key,
                "value_from": {
                    "secret_key_ref": {
                        "name": settings.app_secret,
                        "key": key,
                        "optional": optional,
                    }
                },
            }
        )
    return env


def _http_probe(path: str, period: int, failures: int) -> k8s.core.v1.ProbeArgsDict:
    return {
        "http_get": {"path": path, "port": "http"},
        "period_seconds": period,
        "failure_threshold": failures,
        "timeout_seconds": 3,
    }


def container(service: Service, settings: PodSettings) -> k8s.core.v1.ContainerArgsDict:
    return {
        "name": service.name,
        "image": image(service, settings),
        "image_pull_policy": "IfNotPresent",
        "command": ["taskflow"],
        "args": list(service.args),
        "ports": [{"name": "http", "container_port": service.port}],
        "env": _env(service, settings),
        # Up to 2 minutes to come up: the Dapr sidecar and its component init come first.
        "startup_probe": _http_probe("/healthz", 5, 24),
        "readiness_probe": _http_probe("/readyz", 10, 3),
        "liveness_probe": _http_probe("/healthz", 20, 3),
        "resources": {
            "requests": {"cpu": service.cpu_request, "memory": service.memory_request},
            "limits": {"cpu": service.cpu_limit, "memory": service.memory_limit},
        },
        "security_context": {
            "allow_privilege_escalation": False,
            "read_only_root_filesystem": True,
            "run_as_non_root": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volume_mounts": [{"name": "tmp", "mount_path": "/tmp"}],
    }


def deployment_spec(service: Service, settings: PodSettings) -> k8s.apps.v1.DeploymentSpecArgsDict:
    # No `replicas`: every Deployment has an HPA, which owns the scale. Setting it here would
    # reset the scale on each `up` (and server-side apply would fight the autoscaler).
    return {
        "revision_history_limit": 5,
        "selector": {"match_labels": labels(service)},
        # Never drop below the current capacity during a rollout.
        "strategy": {
            "type": "RollingUpdate",
            "rolling_update": {"max_unavailable": 0, "max_surge": 1},
        },
        "template": {
            "metadata": {"labels": labels(service), "annotations": dapr_annotations(service)},
            "spec": {
                "security_context": {
                    "run_as_non_root": True,
                    "run_as_user": 10001,
                    "run_as_group": 10001,
                    "fs_group": 10001,
                    "seccomp_profile": {"type": "RuntimeDefault"},
                },
                "termination_grace_period_seconds": 30,
                "containers": [container(service, settings)],
                "volumes": [{"name": "tmp", "empty_dir": {"size_limit": "64Mi"}}],
            },
        },
    }
