"""The Dapr control plane (operator, sidecar injector, sentry, placement, scheduler)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from infra import versions
from infra.platform_services.helm import helm_release

DAPR_NAMESPACE = "dapr-system"


@dataclass(frozen=True, kw_only=True)
class DaprControlPlaneArgs:
    high_availability: bool = False


def dapr_values(high_availability: bool) -> dict[str, Any]:
    return {
        "global": {
            "ha": {"enabled": high_availability},
            # Sidecar-to-sidecar traffic is mutually authenticated by Sentry-issued certs.
            "mtls": {"enabled": True},
            "logAsJson": True,
            "prometheus": {"enabled": True},
        },
        "dapr_placement": {"cluster": {"forceInMemoryLog": not high_availability}},
    }


class DaprControlPlane(pulumi.ComponentResource):
    namespace: str

    def __init__(
        self, name: str, args: DaprControlPlaneArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:platform:DaprControlPlane", name, None, opts)
        helm_release(
            "dapr",
            versions.DAPR,
            namespace=DAPR_NAMESPACE,
            values=dapr_values(args.high_availability),
            parent=self,
        )
        self.namespace = DAPR_NAMESPACE
        self.register_outputs({"namespace": DAPR_NAMESPACE, "version": versions.DAPR.version})
