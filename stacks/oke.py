"""OKE: Always Free Ampere node pool; OCI Vault behind the Dapr secret store when configured."""

from __future__ import annotations

from infra.clusters.oke import OkeClusterArgs, flexible_load_balancer
from infra.config import ConfigError, StackConfig
from infra.plan import StackPlan
from infra.workloads.secrets import OciVaultTarget
from stacks.common import build_plan


def plan(cfg: StackConfig) -> StackPlan:
    if cfg.oke is None:
        raise ConfigError("target", "is oke but the oci* keys were not read")
    oke = cfg.oke
    vault = cfg.secret_store == "oci-vault"
    return build_plan(
        cfg,
        cluster=OkeClusterArgs(
            compartment_id=oke.compartment_id,
            availability_domain=oke.availability_domain,
            node_image_id=oke.node_image_id,
            kubernetes_version=oke.kubernetes_version,
            node_count=oke.node_count,
            node_ocpus=oke.node_ocpus,
            node_memory_gbs=oke.node_memory_gbs,
        ),
        service_type="LoadBalancer",
        persistent_kafka=True,
        protect_state=True,
        edge_service_annotations=flexible_load_balancer(oke.load_balancer_mbps),
        secret_store_options=(
            {"region": oke.region, "compartment": oke.compartment_id, "vaultOCID": oke.vault_id}
            if vault
            else None
        ),
        vault=(
            OciVaultTarget(
                compartment_id=oke.compartment_id, vault_id=oke.vault_id, key_id=oke.vault_key_id
            )
            if vault
            else None
        ),
    )
