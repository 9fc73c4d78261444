"""Cost guard-rail validators: stay inside OCI's Always Free tier and cap autoscaling.

Same contract as ``k8s_rules``: pure ``<rule>_validator(args, report_violation)`` functions that
ignore resource types they do not govern. The OKE limits are OCI's Always Free Ampere allowance
(4 OCPUs and 24 GB of memory in total, VM.Standard.A1.Flex only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policies.props import (
    ReportViolation,
    ResourceArgs,
    StackArgs,
    as_list,
    as_mapping,
    as_number,
    display_name,
    get_path,
    parse_kubernetes_type,
)

OKE_NODE_POOL_FREE_TIER = "oke-node-pool-free-tier"
OKE_FREE_TIER_TOTAL = "oke-free-tier-total"
HPA_MAX_REPLICAS = "hpa-max-replicas"

OKE_NODE_POOL_TYPE = "oci:ContainerEngine/nodePool:NodePool"
FREE_TIER_SHAPE = "VM.Standard.A1.Flex"
FREE_TIER_MAX_OCPUS = 4.0
FREE_TIER_MAX_MEMORY_GB = 24.0
MAX_HPA_REPLICAS = 3


@dataclass(frozen=True, kw_only=True)
class NodePoolSize:
    """What one OKE node pool asks for; ``None`` fields could not be read from its props."""

    shape: str | None
    nodes: float | None
    ocpus_per_node: float | None
    memory_gb_per_node: float | None

    @property
    def total_ocpus(self) -> float | None:
        if self.nodes is None or self.ocpus_per_node is None:
            return None
        return self.nodes * self.ocpus_per_node

    @property
    def total_memory_gb(self) -> float | None:
        if self.nodes is None or self.memory_gb_per_node is None:
            return None
        return self.nodes * self.memory_gb_per_node


def node_pool_size(props: Mapping[str, Any]) -> NodePoolSize:
    """Read shape, node count and per-node shape config from ``NodePool`` inputs.

    The node count is ``nodeConfigDetails.size``, or the legacy ``quantityPerSubnet`` times the
    number of ``subnetIds``.
    """
    shape = props.get("nodeShape")
    nodes = as_number(get_path(props, "nodeConfigDetails", "size"))
    if nodes is None:
        per_subnet = as_number(props.get("quantityPerSubnet"))
        subnets = as_list(props.get("subnetIds"))
        if per_subnet is not None and subnets:
            nodes = per_subnet * len(subnets)
    shape_config = as_mapping(props.get("nodeShapeConfig"))
    return NodePoolSize(
        shape=shape if isinstance(shape, str) else None,
        nodes=nodes,
        ocpus_per_node=as_number(shape_config.get("ocpus")),
        memory_gb_per_node=as_number(shape_config.get("memoryInGbs")),
    )


def _format(number: float) -> str:
    return f"{number:g}"


def oke_node_pool_free_tier_validator(
    args: ResourceArgs, report_violation: ReportViolation
) -> None:
    """An OKE node pool uses VM.Standard.A1.Flex within 4 OCPUs / 24 GB across its nodes."""
    if args.resource_type != OKE_NODE_POOL_TYPE:
        return
    who = getattr(args, "name", None) or "node pool"
    size = node_pool_size(args.props)
    if size.shape != FREE_TIER_SHAPE:
        report_violation(
            f"{who}: nodeShape is {size.shape!r}; only {FREE_TIER_SHAPE} is Always Free.", None
        )
    if size.nodes is None:
        report_violation(f"{who}: cannot tell the node count (set nodeConfigDetails.size).", None)
    if size.ocpus_per_node is None or size.memory_gb_per_node is None:
        report_violation(
            f"{who}: set nodeShapeConfig.ocpus and nodeShapeConfig.memoryInGbs explicitly.", None
        )
    ocpus, memory = size.total_ocpus, size.total_memory_gb
    if ocpus is not None and ocpus > FREE_TIER_MAX_OCPUS:
        report_violation(
            f"{who}: {_format(ocpus)} OCPUs in total exceeds the free "
            f"{_format(FREE_TIER_MAX_OCPUS)}.",
            None,
        )
    if memory is not None and memory > FREE_TIER_MAX_MEMORY_GB:
        report_violation(
            f"{who}: {_format(memory)} GB of memory in total exceeds the free "
            f"{_format(FREE_TIER_MAX_MEMORY_GB)} GB.",
            None,
        )


def oke_free_tier_total_validator(args: StackArgs, report_violation: ReportViolation) -> None:
    """All OKE node pools of a stack together stay within 4 OCPUs / 24 GB."""
    pools = [r for r in args.resources if r.resource_type == OKE_NODE_POOL_TYPE]
    if len(pools) < 2:
        return  # a single pool is fully checked by oke-node-pool-free-tier
    sizes = [node_pool_size(pool.props) for pool in pools]
    ocpus = sum(size.total_ocpus or 0.0 for size in sizes)
    memory = sum(size.total_memory_gb or 0.0 for size in sizes)
    if ocpus > FREE_TIER_MAX_OCPUS:
        report_violation(
            f"{len(pools)} node pools use {_format(ocpus)} OCPUs in total; the free tier has "
            f"{_format(FREE_TIER_MAX_OCPUS)}.",
            None,
        )
    if memory > FREE_TIER_MAX_MEMORY_GB:
        report_violation(
            f"{len(pools)} node pools use {_format(memory)} GB in total; the free tier has "
            f"{_format(FREE_TIER_MAX_MEMORY_GB)} GB.",
            None,
        )


def hpa_max_replicas_validator(args: ResourceArgs, report_violation: ReportViolation) -> None:
    """A HorizontalPodAutoscaler (any autoscaling version) has maxReplicas <= 3."""
    parsed = parse_kubernetes_type(args.resource_type)
    if parsed is None or parsed.group != "autoscaling" or parsed.kind != "HorizontalPodAutoscaler":
        return
    who = display_name(args)
    max_replicas = as_number(get_path(args.props, "spec", "maxReplicas"))
    if max_replicas is None:
        report_violation(f"{who}: spec.maxReplicas is missing.", None)
    elif max_replicas > MAX_HPA_REPLICAS:
        report_violation(
            f"{who}: spec.maxReplicas is {_format(max_replicas)}; the cap is {MAX_HPA_REPLICAS}.",
            None,
        )
