"""Dapr Components and the tracing Configuration, from the shared plain-dict definitions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pulumi

from infra.contracts import SERVICES
from infra.dapr import components
from infra.manifest import KubernetesManifest


@dataclass(frozen=True, kw_only=True)
class DaprResourcesArgs:
    namespace: str
    pubsub_kind: Literal["kafka", "redis"]
    pubsub_address: str
    pubsub_authenticated: bool
    secret_store: Literal["kubernetes", "oci-vault", "azure-keyvault"]
    secret_store_options: dict[str, str] = field(default_factory=dict)
    sampling_rate: float
    otlp_endpoint: str


def dapr_manifests(args: DaprResourcesArgs) -> dict[str, components.Manifest]:
    """Every Dapr object the app needs, keyed by a stable resource suffix."""
    app_ids = [service.app_id for service in SERVICES]
    return {
        "secretstore": components.secretstore_component(
            args.secret_store, namespace=args.namespace, options=args.secret_store_options
        ),
        "pubsub": components.pubsub_component(
            args.pubsub_kind,
            address=args.pubsub_address,
            authenticated=args.pubsub_authenticated,
            namespace=args.namespace,
            scopes=app_ids,
        ),
        "statestore": components.state_component(namespace=args.namespace, scopes=app_ids),
        "reminder-check": components.reminder_binding(
            namespace=args.namespace, scopes=["taskflow-api"]
        ),
        "resiliency": components.pubsub_resiliency(namespace=args.namespace, scopes=app_ids),
        "config": components.tracing_configuration(
            sampling_rate=args.sampling_rate,
            otlp_endpoint=args.otlp_endpoint,
            namespace=args.namespace,
        ),
    }


class DaprResources(pulumi.ComponentResource):
    names: list[str]

    def __init__(
        self, name: str, args: DaprResourcesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:workloads:DaprResources", name, None, opts)
        manifests = dapr_manifests(args)
        for suffix, manifest in manifests.items():
            KubernetesManifest(
                f"{name}-{suffix}", manifest, opts=pulumi.ResourceOptions(parent=self)
            )
        self.names = sorted(manifests)
        self.register_outputs({"names": self.names})
