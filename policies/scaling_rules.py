"""Stack policies over how Deployments scale: PDBs for replicated ones, HPA owns replicas.

These look at several resources together (a Deployment, the HPA that targets it, the PDB whose
selector matches its pods), so they are ``StackValidationPolicy`` validators over
``args.resources``, run by CrossGuard after the program and by ``check_manifests`` over
rendered YAML.
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
    kind_of,
    pod_template,
)

PDB_FOR_REPLICATED_DEPLOYMENTS = "pdb-for-replicated-deployments"
HPA_OWNS_REPLICAS = "hpa-owns-replicas"


@dataclass(frozen=True, kw_only=True)
class _Named:
    namespace: str
    name: str


def _identity(resource: ResourceArgs) -> _Named:
    metadata = as_mapping(resource.props.get("metadata"))
    name = metadata.get("name") or getattr(resource, "name", None) or ""
    return _Named(namespace=str(metadata.get("namespace") or "default"), name=str(name))


def _of_kind(args: StackArgs, kind: str) -> list[ResourceArgs]:
    return [resource for resource in args.resources if kind_of(resource) == kind]


def _hpa_targets(args: StackArgs) -> dict[_Named, ResourceArgs]:
    """Deployment identity -> the HPA that scales it."""
    targets: dict[_Named, ResourceArgs] = {}
    for hpa in _of_kind(args, "HorizontalPodAutoscaler"):
        ref = as_mapping(get_path(hpa.props, "spec", "scaleTargetRef"))
        if ref.get("kind") == "Deployment" and isinstance(ref.get("name"), str):
            targets[_Named(namespace=_identity(hpa).namespace, name=ref["name"])] = hpa
    return targets


def _selector_matches(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    """Kubernetes label-selector semantics (matchLabels and matchExpressions); an empty
    selector matches nothing here, as a PDB with one protects nothing useful."""
    match_labels = as_mapping(selector.get("matchLabels"))
    expressions = [as_mapping(e) for e in as_list(selector.get("matchExpressions"))]
    if not match_labels and not expressions:
        return False
    if any(labels.get(key) != value for key, value in match_labels.items()):
        return False
    return all(_expression_matches(expression, labels) for expression in expressions)


def _expression_matches(expression: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    key, operator = str(expression.get("key")), expression.get("operator")
    values = as_list(expression.get("values"))
    if operator == "In":
        return key in labels and labels[key] in values
    if operator == "NotIn":
        return key not in labels or labels[key] not in values
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    return False


def _max_replicas(deployment: ResourceArgs, hpa: ResourceArgs | None) -> float:
    """The most pods the Deployment can run: the HPA's maxReplicas, else spec.replicas (1)."""
    if hpa is not None:
        return as_number(get_path(hpa.props, "spec", "maxReplicas")) or 1.0
    replicas = as_number(get_path(deployment.props, "spec", "replicas"))
    return 1.0 if replicas is None else replicas


def pdb_for_replicated_deployments_validator(
    args: StackArgs, report_violation: ReportViolation
) -> None:
    """A Deployment that can run more than one pod has a PodDisruptionBudget selecting them."""
    hpas = _hpa_targets(args)
    pdbs = _of_kind(args, "PodDisruptionBudget")
    for deployment in _of_kind(args, "Deployment"):
        identity = _identity(deployment)
        if _max_replicas(deployment, hpas.get(identity)) <= 1:
            continue
        labels = as_mapping(get_path(pod_template(deployment), "metadata", "labels"))
        covered = any(
            _identity(pdb).namespace == identity.namespace
            and _selector_matches(as_mapping(get_path(pdb.props, "spec", "selector")), labels)
            for pdb in pdbs
        )
        if not covered:
            report_violation(
                f"{display_name(deployment)}: runs more than one replica but no "
                "PodDisruptionBudget selects its pods; a node drain may take them all at once.",
                getattr(deployment, "urn", None),
            )


def _program_sets_replicas(deployment: ResourceArgs) -> bool:
    """Whether the program, not the API server, put spec.replicas there.

    In a preview and in rendered manifests the props are what the program wrote. After a real
    `up` they are the live object, where the API server has defaulted replicas to 1; then the
    field is ours only if our server-side apply (a `pulumi-kubernetes-*` manager) owns it.
    """
    if get_path(deployment.props, "spec", "replicas") is None:
        return False
    managers = [
        as_mapping(m) for m in as_list(get_path(deployment.props, "metadata", "managedFields"))
    ]
    if not managers:
        return True
    return any(
        str(m.get("manager", "")).startswith("pulumi")
        and "f:replicas" in as_mapping(get_path(m, "fieldsV1", "f:spec"))
        for m in managers
    )


def hpa_owns_replicas_validator(args: StackArgs, report_violation: ReportViolation) -> None:
    """A Deployment scaled by an HPA leaves spec.replicas unset (each `up` would reset it)."""
    hpas = _hpa_targets(args)
    for deployment in _of_kind(args, "Deployment"):
        hpa = hpas.get(_identity(deployment))
        if hpa is None or not _program_sets_replicas(deployment):
            continue
        report_violation(
            f"{display_name(deployment)}: sets spec.replicas while {display_name(hpa)} scales "
            "it; every deploy would reset the autoscaler's choice. Leave replicas unset.",
            getattr(deployment, "urn", None),
        )
