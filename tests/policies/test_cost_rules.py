"""Cost guard rails: OKE Always Free node pools and the HPA replica cap."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from policies import cost_rules
from tests.policies.policy_factories import Report, resource

NODE_POOL = cost_rules.OKE_NODE_POOL_TYPE
HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"


def node_pool(
    *,
    shape: str | None = "VM.Standard.A1.Flex",
    nodes: int | None = 2,
    ocpus: float | None = 2,
    memory_gb: float | None = 12,
) -> dict[str, Any]:
    """NodePool inputs as Pulumi passes them (camelCase)."""
    props: dict[str, Any] = {"clusterId": "ocid1.cluster", "compartmentId": "ocid1.compartment"}
    if shape is not None:
        props["nodeShape"] = shape
    if nodes is not None:
        props["nodeConfigDetails"] = {"size": nodes, "placementConfigs": [{"subnetId": "s"}]}
    shape_config = {
        key: value for key, value in (("ocpus", ocpus), ("memoryInGbs", memory_gb)) if value
    }
    if shape_config:
        props["nodeShapeConfig"] = shape_config
    return props


def check_pool(props: dict[str, Any]) -> list[str]:
    report = Report()
    cost_rules.oke_node_pool_free_tier_validator(resource(NODE_POOL, props, name="pool"), report)
    return report.messages


def check_stack(*pools: dict[str, Any]) -> list[str]:
    report = Report()
    resources = [resource(NODE_POOL, props) for props in pools]
    resources.append(resource("kubernetes:core/v1:Namespace", {}))
    cost_rules.oke_free_tier_total_validator(SimpleNamespace(resources=resources), report)
    return report.messages


def check_hpa(props: dict[str, Any], resource_type: str = HPA) -> list[str]:
    report = Report()
    cost_rules.hpa_max_replicas_validator(resource(resource_type, props), report)
    return report.messages


# --- oke-node-pool-free-tier ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("nodes", "ocpus", "memory_gb"), [(2, 2, 12), (4, 1, 6), (1, 4, 24), (1, 1, 6)]
)
def test_node_pool_accepts_free_tier_sizes(nodes: int, ocpus: float, memory_gb: float) -> None:
    assert check_pool(node_pool(nodes=nodes, ocpus=ocpus, memory_gb=memory_gb)) == []


def test_node_pool_rejects_paid_shape() -> None:
    messages = check_pool(node_pool(shape="VM.Standard.E4.Flex"))
    assert messages == [
        "pool: nodeShape is 'VM.Standard.E4.Flex'; only VM.Standard.A1.Flex is Always Free."
    ]


def test_node_pool_rejects_too_many_ocpus() -> None:
    messages = check_pool(node_pool(nodes=3, ocpus=2, memory_gb=6))
    assert messages == ["pool: 6 OCPUs in total exceeds the free 4."]


def test_node_pool_rejects_too_much_memory() -> None:
    messages = check_pool(node_pool(nodes=2, ocpus=1, memory_gb=16))
    assert messages == ["pool: 32 GB of memory in total exceeds the free 24 GB."]


def test_node_pool_rejects_missing_shape_config() -> None:
    messages = check_pool(node_pool(ocpus=None, memory_gb=None))
    assert len(messages) == 1
    assert "nodeShapeConfig" in messages[0]


def test_node_pool_rejects_unknown_node_count() -> None:
    messages = check_pool(node_pool(nodes=None))
    assert len(messages) == 1
    assert "node count" in messages[0]


def test_node_pool_counts_legacy_quantity_per_subnet() -> None:
    props = node_pool(nodes=None, ocpus=2, memory_gb=6)
    props.update(quantityPerSubnet=1, subnetIds=["a", "b", "c"])
    messages = check_pool(props)
    assert messages == ["pool: 6 OCPUs in total exceeds the free 4."]


def test_node_pool_rejects_empty_props() -> None:
    assert len(check_pool({})) == 3  # shape, node count, shape config


def test_node_pool_ignores_other_resource_types() -> None:
    report = Report()
    props = node_pool(shape="BM.GPU.A100")
    cost_rules.oke_node_pool_free_tier_validator(
        resource("oci:Core/instance:Instance", props), report
    )
    assert report.messages == []


# --- oke-free-tier-total (stack) ------------------------------------------------------------


def test_stack_total_accepts_pools_within_free_tier() -> None:
    pools = (node_pool(nodes=1, ocpus=2, memory_gb=12), node_pool(nodes=1, ocpus=2, memory_gb=12))
    assert check_stack(*pools) == []


def test_stack_total_rejects_pools_over_free_tier() -> None:
    pools = (node_pool(nodes=2, ocpus=2, memory_gb=12), node_pool(nodes=1, ocpus=1, memory_gb=6))
    messages = check_stack(*pools)
    assert messages == [
        "2 node pools use 5 OCPUs in total; the free tier has 4.",
        "2 node pools use 30 GB in total; the free tier has 24 GB.",
    ]


def test_stack_total_leaves_single_pool_to_resource_rule() -> None:
    assert check_stack(node_pool(nodes=8, ocpus=4, memory_gb=64)) == []


# --- hpa-max-replicas -----------------------------------------------------------------------


@pytest.mark.parametrize("max_replicas", [1, 3, "3"])
def test_hpa_accepts_max_replicas_up_to_three(max_replicas: object) -> None:
    assert check_hpa({"spec": {"minReplicas": 1, "maxReplicas": max_replicas}}) == []


def test_hpa_rejects_max_replicas_over_three() -> None:
    props = {"metadata": {"name": "api", "namespace": "taskflow"}, "spec": {"maxReplicas": 4}}
    assert check_hpa(props) == [
        "HorizontalPodAutoscaler taskflow/api: spec.maxReplicas is 4; the cap is 3."
    ]


def test_hpa_rejects_missing_max_replicas() -> None:
    messages = check_hpa({"metadata": {"name": "api"}, "spec": {}})
    assert messages == ["HorizontalPodAutoscaler api: spec.maxReplicas is missing."]


@pytest.mark.parametrize(
    "resource_type",
    [
        "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
        "kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler",
    ],
)
def test_hpa_checks_every_autoscaling_version(resource_type: str) -> None:
    assert len(check_hpa({"spec": {"maxReplicas": 10}}, resource_type)) == 1


def test_hpa_ignores_other_resource_types() -> None:
    assert check_hpa({"spec": {"maxReplicas": 10}}, "kubernetes:apps/v1:Deployment") == []
