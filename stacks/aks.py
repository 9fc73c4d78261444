"""AKS fallback; Azure Key Vault behind the Dapr secret store when configured."""

from __future__ import annotations

from infra.clusters.aks import AksClusterArgs
from infra.config import ConfigError, StackConfig
from infra.plan import StackPlan
from infra.workloads.secrets import AzureVaultTarget
from stacks.common import build_plan


def plan(cfg: StackConfig) -> StackPlan:
    if cfg.aks is None:
        raise ConfigError("target", "is aks but the azure* keys were not read")
    aks = cfg.aks
    vault = cfg.secret_store == "azure-keyvault"
    return build_plan(
        cfg,
        cluster=AksClusterArgs(
            location=aks.location,
            kubernetes_version=aks.kubernetes_version,
            node_size=aks.node_size,
            node_count=aks.node_count,
        ),
        service_type="LoadBalancer",
        persistent_kafka=True,
        protect_state=True,
        secret_store_options=(
            {"vaultName": aks.key_vault_name, "azureClientId": aks.key_vault_client_id}
            if vault
            else None
        ),
        vault=(
            AzureVaultTarget(
                resource_group_name=aks.key_vault_resource_group, vault_name=aks.key_vault_name
            )
            if vault
            else None
        ),
    )
