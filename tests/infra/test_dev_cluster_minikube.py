"""`pulumi up` of the minikube stack against a real Kubernetes API server.

One dev cluster (scripts/dev-cluster: etcd, kube-apiserver, controller-manager, scheduler,
kwok fake nodes) serves the whole module; its tests run in file order and build on each
other: deploy, deploy again, inspect, change the image tag, a bad program, destroy. The
program runs through the Automation API route (infra.deploy; scripts/dev-cluster deploy
for the developer's path), the policy pack in every `up`. Helm charts are stand-ins
(infra.dev_cluster.charts); CRDs and every object the program creates are real.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.dev_cluster.charts import stand_in_charts
from policies import k8s_rules, pod_security
from tests.infra.bad_program import NAME as BAD_NAME
from tests.infra.dev_cluster import (
    ROOT,
    Deployer,
    DevCluster,
    dev_cluster_script,
    objects_of,
    running_cluster,
    wait_until,
)

# In CI the first of these may wait for the cold Go builds scripts/test runs in the background.
pytestmark = [pytest.mark.pulumi_cli, pytest.mark.timeout(3600)]

STACK = "minikube"
NEW_TAG = "0a1b2c3d"
POLICY_LINE = "taskflow-policies@v"


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dev-cluster") / "cluster"


@pytest.fixture(scope="module")
def cluster(state: Path) -> Iterator[DevCluster]:
    with running_cluster(state) as running:
        yield running


@pytest.fixture(scope="module")
def deployer(cluster: DevCluster, state: Path) -> Iterator[Deployer]:
    """infra.deploy on the same project dir, backend and secrets as `dev-cluster deploy`."""
    with stand_in_charts(state.parent / "charts") as charts:
        deployer = Deployer.create(cluster, state / "pulumi", charts.env())
        secrets = dict(
            line.split("=", 1) for line in (state / "secrets.env").read_text().splitlines()
        )
        deployer.env = {**deployer.env, **secrets}
        yield deployer


def _deploy_with_script(state: Path, summary: Path) -> dict[str, Any]:
    out = dev_cluster_script(state, "deploy", STACK, env={"TASKFLOW_DEPLOY_SUMMARY": str(summary)})
    assert POLICY_LINE in out, "the policy pack did not run in the up"
    data: dict[str, Any] = json.loads(summary.read_text())
    return data


def _our_deployments(cluster: DevCluster, deployer: Deployer) -> list[dict[str, Any]]:
    ours = {
        (o.namespace, o.name)
        for o in objects_of(deployer.export(STACK))
        if o.kind == "Deployment.v1.apps"
    }
    return [
        d
        for d in cluster.items("deployments")
        if (d["metadata"]["namespace"], d["metadata"]["name"]) in ours
    ]


def _available(deployment: dict[str, Any]) -> bool:
    status = deployment.get("status", {})
    conditions = {c["type"]: c["status"] for c in status.get("conditions", [])}
    return (
        conditions.get("Available") == "True"
        and status.get("updatedReplicas") == status.get("replicas")
        and status.get("readyReplicas") == status.get("replicas")
        and status.get("observedGeneration") == deployment["metadata"]["generation"]
    )


def test_deploy_creates_every_resource(
    cluster: DevCluster, state: Path, request: pytest.FixtureRequest
) -> None:
    summary = _deploy_with_script(state, state.parent / "first-up.json")
    assert summary["changes"].get("create", 0) > 0
    assert set(summary["changes"]) <= {"create", "same"}, summary["changes"]
    assert summary["violations"] == []
    # Every Kubernetes object in the stack's state is on the API server.
    # The deployer reads the secrets (the state's passphrase) the first deploy generated.
    deployer: Deployer = request.getfixturevalue("deployer")
    objects = objects_of(deployer.export(STACK))
    kinds = {o.kind for o in objects}
    assert {
        "Deployment.v1.apps",
        "StatefulSet.v1.apps",
        "Component.v1alpha1.dapr.io",
        "Kafka.v1.kafka.strimzi.io",
        "ClusterIssuer.v1.cert-manager.io",
        "PrometheusRule.v1.monitoring.coreos.com",
    } <= kinds, kinds
    missing = [o for o in objects if not cluster.exists(o.kind, o.name, o.namespace)]
    assert missing == []


def test_second_deploy_changes_nothing(cluster: DevCluster, state: Path) -> None:
    summary = _deploy_with_script(state, state.parent / "second-up.json")
    assert set(summary["changes"]) == {"same"}, summary["changes"]


def test_every_deployment_and_statefulset_is_available(
    cluster: DevCluster, deployer: Deployer
) -> None:
    deployments = _our_deployments(cluster, deployer)
    assert deployments
    assert [d["metadata"]["name"] for d in deployments if not _available(d)] == []
    for sts in cluster.items("statefulsets"):
        status = sts["status"]
        assert status.get("readyReplicas") == sts["spec"]["replicas"], sts["metadata"]["name"]


def test_app_pods_carry_dapr_annotations_and_components_pass_the_schema(
    cluster: DevCluster,
) -> None:
    pods = [
        p
        for p in cluster.items("pods", namespace="taskflow")
        if p["metadata"].get("labels", {}).get("app.kubernetes.io/part-of") == "taskflow"
    ]
    assert pods
    for pod in pods:
        annotations = pod["metadata"].get("annotations", {})
        assert annotations.get("dapr.io/enabled") == "true", pod["metadata"]["name"]
        assert annotations.get("dapr.io/app-id"), pod["metadata"]["name"]
        assert pod["status"]["phase"] == "Running"
    components = {c["metadata"]["name"] for c in cluster.items("components.dapr.io")}
    assert {"pubsub", "statestore"} <= components, components
    # The CRD's schema is enforced: a Component without spec.type is refused.
    broken = {
        "apiVersion": "dapr.io/v1alpha1",
        "kind": "Component",
        "metadata": {"name": "broken", "namespace": "taskflow"},
        "spec": {"version": "v1", "metadata": "not-a-list"},
    }
    proc = subprocess.run(
        [str(cluster.kube_bin / "kubectl"), "--kubeconfig", str(cluster.kubeconfig),
         "apply", "--dry-run=server", "-f", "-"],
        input=json.dumps(broken), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode != 0 and "spec.metadata" in proc.stderr, proc.stderr


def test_image_tag_change_previews_as_deployment_updates_and_rolls(
    cluster: DevCluster, deployer: Deployer
) -> None:
    before = {d["metadata"]["name"]: d for d in _our_deployments(cluster, deployer)}
    ours = {
        name
        for name, d in before.items()
        if any("taskflow-" in c["image"] for c in d["spec"]["template"]["spec"]["containers"])
    }
    assert ours
    preview = deployer.run("preview", STACK, "--diff", "--config", f"imageTag={NEW_TAG}")
    # Steps name resources by their Pulumi name; the cluster by metadata.name.
    deployment_type = "kubernetes:apps/v1:Deployment"
    k8s_name = {
        r["urn"].rsplit("::", 1)[-1]: r["outputs"]["metadata"]["name"]
        for r in deployer.export(STACK)
        if r["type"] == deployment_type
    }
    changed = {
        (s["type"], k8s_name.get(s["name"], s["name"]))
        for s in preview.summary["steps"]
        if s["op"] != "same"
    }
    assert changed == {(deployment_type, name) for name in ours}
    assert set(preview.summary["changes"]) == {"same", "update"}

    up = deployer.run("up", STACK, "--config", f"imageTag={NEW_TAG}", "--policy-pack", "policies")
    assert POLICY_LINE in up.stdout
    assert up.ops()["update"] == len(ours)
    after = {d["metadata"]["name"]: d for d in _our_deployments(cluster, deployer)}
    for name in ours:
        images = [c["image"] for c in after[name]["spec"]["template"]["spec"]["containers"]]
        assert all(i.endswith(f":{NEW_TAG}") for i in images if "taskflow-" in i), images
        assert after[name]["metadata"]["generation"] > before[name]["metadata"]["generation"]
        assert _available(after[name]), name
    # A rolling update: a new ReplicaSet serves, the old one was scaled to zero, not deleted.
    replica_sets = cluster.items("replicasets", namespace="taskflow")
    for name in ours:
        owned = [
            rs
            for rs in replica_sets
            if any(o["name"] == name for o in rs["metadata"].get("ownerReferences", []))
        ]
        ready = [rs for rs in owned if rs["spec"]["replicas"] > 0]
        assert len(owned) >= 2 and len(ready) == 1, name
        template = ready[0]["spec"]["template"]["spec"]["containers"]
        assert any(c["image"].endswith(f":{NEW_TAG}") for c in template)


@pytest.mark.parametrize("operation", ["preview", "up"])
def test_bad_program_fails_through_the_policy_pack(
    cluster: DevCluster, deployer: Deployer, operation: str
) -> None:
    workdir = deployer.workdir.parent / f"bad-{operation}"
    (workdir / "state").mkdir(parents=True)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.infra.bad_program", operation,
         "--work-dir", str(workdir / "project"), "--backend", f"file://{workdir / 'state'}"],
        cwd=ROOT, env={**deployer.env, "PULUMI_HOME": str(workdir / "home")},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    for policy in (
        k8s_rules.NO_PRIVILEGED_CONTAINERS,
        k8s_rules.CONTAINER_RESOURCE_LIMITS,
        k8s_rules.PINNED_IMAGE_TAGS,
        pod_security.HOST_NAMESPACES,
        pod_security.HOST_PATH_VOLUMES,
        pod_security.HOST_PORTS,
        pod_security.RESTRICTED_CAPABILITIES,
    ):
        assert policy in out, f"{policy} not reported:\n{out[-4000:]}"
    assert "mandatory" in out
    assert not cluster.exists("deployment", BAD_NAME, "default")


def test_destroy_leaves_none_of_our_objects(cluster: DevCluster, deployer: Deployer) -> None:
    objects = objects_of(deployer.export(STACK))
    assert objects
    destroyed = deployer.run("destroy", STACK)
    assert destroyed.ops().get("delete", 0) >= len(objects)
    assert objects_of(deployer.export(STACK)) == []
    # Namespaced objects go with their namespace, which the controller-manager empties.
    wait_until(
        "every object of the stack deleted",
        lambda: not [o for o in objects if cluster.exists(o.kind, o.name, o.namespace)],
    )


def test_dev_cluster_status_reports_every_component(cluster: DevCluster, state: Path) -> None:
    lines = dev_cluster_script(state, "status").splitlines()
    states = dict(line.split(maxsplit=1) for line in lines if not line.startswith("KUBECONFIG="))
    for component in (
        "etcd",
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
        "kwok",
    ):
        assert states[component].startswith("running"), lines
    assert states["readyz"] == "ok"
