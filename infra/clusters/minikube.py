"""Minikube: no cluster resource, only a provider bound to an existing kubeconfig context."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s


@dataclass(frozen=True, kw_only=True)
class MinikubeClusterArgs:
    context: pulumi.Input[str]


class MinikubeCluster(pulumi.ComponentResource):
    provider: k8s.Provider

    def __init__(
        self, name: str, args: MinikubeClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:clusters:MinikubeCluster", name, None, opts)
        self.provider = k8s.Provider(
            f"{name}-k8s",
            context=args.context,
            # Server-side apply keeps Helm- and Pulumi-owned fields apart on re-runs.
            enable_server_side_apply=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})
