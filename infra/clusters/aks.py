"""Azure Kubernetes Service fallback: one resource group, one system node pool."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pulumi
import pulumi_azure_native as azure
import pulumi_kubernetes as k8s


@dataclass(frozen=True, kw_only=True)
class AksClusterArgs:
    location: pulumi.Input[str]
    kubernetes_version: pulumi.Input[str]
    # B2ms (2 vCPU / 8 GB): smallest burstable size fitting Kafka plus monitoring on 2 nodes.
    node_size: str = "Standard_B2ms"
    node_count: int = 2


class AksCluster(pulumi.ComponentResource):
    provider: k8s.Provider
    kubeconfig: pulumi.Output[str]
    resource_group_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: AksClusterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("taskflow:clusters:AksCluster", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        group = azure.resources.ResourceGroup(f"{name}-rg", location=args.location, opts=child)
        cluster = azure.containerservice.ManagedCluster(
            f"{name}-aks",
            resource_group_name=group.name,
            location=group.location,
            dns_prefix="taskflow",
            kubernetes_version=args.kubernetes_version,
            enable_rbac=True,
            identity={"type": azure.containerservice.ResourceIdentityType.SYSTEM_ASSIGNED},
            agent_pool_profiles=[
                {
                    "name": "system",
                    "mode": azure.containerservice.AgentPoolMode.SYSTEM,
                    "count": args.node_count,
                    "vm_size": args.node_size,
                    "os_type": azure.containerservice.OSType.LINUX,
                    "type": "VirtualMachineScaleSets",
                }
            ],
            # Azure CNI with network policy, so the NetworkPolicies are actually enforced.
            network_profile={"network_plugin": "azure", "network_policy": "azure"},
            oidc_issuer_profile={"enabled": True},
            security_profile={"workload_identity": {"enabled": True}},
            opts=child,
        )
        credentials = azure.containerservice.list_managed_cluster_user_credentials_output(
            resource_group_name=group.name,
            resource_name=cluster.name,
            opts=pulumi.InvokeOptions(parent=self),
        )
        self.kubeconfig = pulumi.Output.secret(
            credentials.kubeconfigs.apply(lambda items: base64.b64decode(items[0].value).decode())
        )
        self.resource_group_name = group.name
        self.provider = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            enable_server_side_apply=True,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster]),
        )
        self.register_outputs(
            {"kubeconfig": self.kubeconfig, "resourceGroupName": self.resource_group_name}
        )
