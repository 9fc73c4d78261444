"""The Kubernetes part of the oke, aks and gke stacks, applied to a real API server.

Each stack gets a fresh dev cluster and `up` through infra.deploy with --onto-context: the
stack's plan (its config, secret store, LoadBalancer edge, Kafka sizing, protect flags) with
its Kubernetes objects sent to the dev cluster instead of a cluster of its own. What stays
under mocks (tests/infra/test_program.py): the cloud resources themselves (OKE VCN, cluster
and node pool; AKS resource group and managed cluster; GKE cluster and node pool; vault
lookups), whose providers (pulumi-oci, azure-native, gcp) are not built here and whose
APIs cannot be reached. For the same reason the vault behind the Dapr secret store (OCI Vault
on oke, Key Vault on aks: secrets written into a cloud vault) is swapped for the Kubernetes
secret store here; the vault path stays under mocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.dev_cluster.charts import stand_in_charts
from tests.infra.dev_cluster import Deployer, objects_of, running_cluster

# In CI the first of these may wait for the cold Go builds scripts/test runs in the background.
pytestmark = [pytest.mark.pulumi_cli, pytest.mark.timeout(3600)]


@pytest.fixture(params=("oke", "aks", "gke"))
def cloud_stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def deployer(tmp_path: Path) -> Iterator[Deployer]:
    with (
        running_cluster(tmp_path / "cluster") as cluster,
        stand_in_charts(tmp_path / "charts") as charts,
    ):
        yield Deployer.create(cluster, tmp_path / "pulumi", charts.env())


def test_cloud_stack_kubernetes_part_comes_up(cloud_stack: str, deployer: Deployer) -> None:
    up = deployer.run(
        "up", cloud_stack, "--policy-pack", "policies", "--config", "secretStore=kubernetes"
    )
    assert "taskflow-policies@v" in up.stdout
    assert set(up.ops()) <= {"create", "same"} and up.ops()["create"] > 0
    assert up.summary["violations"] == []
    resources = deployer.export(cloud_stack)
    objects = objects_of(resources)
    cluster = deployer.cluster
    assert [o for o in objects if not cluster.exists(o.kind, o.name, o.namespace)] == []
    ours = {(o.namespace, o.name) for o in objects if o.kind == "Deployment.v1.apps"}
    deployments = [
        d
        for d in cluster.items("deployments")
        if (d["metadata"]["namespace"], d["metadata"]["name"]) in ours
    ]
    assert len(deployments) == len(ours) > 0
    unavailable = [
        d["metadata"]["name"]
        for d in deployments
        if {c["type"]: c["status"] for c in d["status"].get("conditions", [])}.get("Available")
        != "True"
    ]
    assert unavailable == []
