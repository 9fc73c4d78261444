"""Stack policies over Deployments, HPAs and PDBs: passing and failing stacks."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from policies import scaling_rules
from tests.policies.policy_factories import DEPLOYMENT, Report, deployment, resource

HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler"
PDB = "kubernetes:policy/v1:PodDisruptionBudget"
LABELS = {"app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "taskflow"}


def api(replicas: int | None) -> SimpleNamespace:
    props = deployment()
    props["spec"]["template"]["metadata"]["labels"] = dict(LABELS)
    if replicas is not None:
        props["spec"]["replicas"] = replicas
    return resource(DEPLOYMENT, props, name="api")


def hpa(target: str = "taskflow-api", max_replicas: int = 3) -> SimpleNamespace:
    spec = {"scaleTargetRef": {"kind": "Deployment", "name": target}, "maxReplicas": max_replicas}
    return resource(HPA, {"metadata": {"name": target, "namespace": "taskflow"}, "spec": spec})


def pdb(selector: dict[str, Any], namespace: str = "taskflow") -> SimpleNamespace:
    props = {"metadata": {"name": "api", "namespace": namespace}, "spec": {"selector": selector}}
    return resource(PDB, props)


def run(validator: Any, *resources: SimpleNamespace) -> list[str]:
    report = Report()
    validator(SimpleNamespace(resources=list(resources)), report)
    return report.messages


PDB_RULE = scaling_rules.pdb_for_replicated_deployments_validator
HPA_RULE = scaling_rules.hpa_owns_replicas_validator


@pytest.mark.parametrize(
    "selector",
    [
        {"matchLabels": {"app.kubernetes.io/name": "api"}},
        {
            "matchExpressions": [
                {"key": "app.kubernetes.io/name", "operator": "In", "values": ["api"]}
            ]
        },
        {"matchExpressions": [{"key": "app.kubernetes.io/part-of", "operator": "Exists"}]},
    ],
)
def test_pdb_rule_accepts_replicated_deployment_with_matching_pdb(selector: dict[str, Any]) -> None:
    assert run(PDB_RULE, api(3), pdb(selector)) == []


@pytest.mark.parametrize(
    "others",
    [
        [],
        [pdb({"matchLabels": {"app.kubernetes.io/name": "web"}})],
        [pdb({"matchLabels": {"app.kubernetes.io/name": "api"}}, namespace="other")],
        [pdb({})],
        [
            pdb(
                {
                    "matchExpressions": [
                        {"key": "app.kubernetes.io/name", "operator": "NotIn", "values": ["api"]}
                    ]
                }
            )
        ],
    ],
)
def test_pdb_rule_rejects_replicated_deployment_without_matching_pdb(others: list[Any]) -> None:
    (message,) = run(PDB_RULE, api(2), *others)
    assert message.startswith("Deployment taskflow/taskflow-api: runs more than one replica")


def test_pdb_rule_counts_hpa_max_replicas() -> None:
    assert len(run(PDB_RULE, api(None), hpa(max_replicas=3))) == 1
    assert run(PDB_RULE, api(None), hpa(max_replicas=1)) == []


def test_pdb_rule_ignores_single_replica_deployment() -> None:
    assert run(PDB_RULE, api(None)) == []
    assert run(PDB_RULE, api(1)) == []


def test_hpa_rule_rejects_fixed_replicas_under_hpa() -> None:
    (message,) = run(HPA_RULE, api(1), hpa())
    assert "sets spec.replicas while HorizontalPodAutoscaler taskflow/taskflow-api" in message


def test_hpa_rule_accepts_unset_replicas_under_hpa_and_fixed_without_hpa() -> None:
    assert run(HPA_RULE, api(None), hpa()) == []
    assert run(HPA_RULE, api(2), hpa(target="other")) == []


def live(replicas_owner: str) -> SimpleNamespace:
    """The Deployment as a real `up` leaves it in the state: replicas defaulted to 1 by the
    API server, and managedFields saying who set each field."""
    deployment = api(1)
    owned: dict[str, Any] = {"f:replicas": {}} if replicas_owner.startswith("pulumi") else {}
    deployment.props["metadata"]["managedFields"] = [
        {"manager": "pulumi-kubernetes-b757f0f7", "operation": "Apply",
         "fieldsV1": {"f:spec": {"f:selector": {}, **owned}}},
        {"manager": "kube-controller-manager", "operation": "Update",
         "fieldsV1": {"f:status": {"f:replicas": {}}}},
    ]  # fmt: skip
    return deployment


def test_hpa_rule_reads_a_live_deployment_by_who_owns_replicas() -> None:
    # Defaulted by the API server: not the program's doing.
    assert run(HPA_RULE, live("kube-apiserver"), hpa()) == []
    (message,) = run(HPA_RULE, live("pulumi"), hpa())
    assert "sets spec.replicas" in message
