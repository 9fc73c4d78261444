"""The Taskflow policy pack's contents: every policy with its name, description and level.

Importing this module builds the policy objects but starts nothing; ``__main__.py`` hands
``POLICIES`` to ``PolicyPack`` (which serves gRPC forever), and ``check_manifests.py`` runs the
same ``RULES`` and ``STACK_RULES`` over rendered YAML without the Pulumi CLI. Both apply the
exemptions of ``policies/exemptions.yaml`` (``EXEMPTIONS``) the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

from policies import (
    cost_rules,
    exposure_rules,
    helm_rules,
    k8s_rules,
    pod_security,
    scaling_rules,
)
from policies.exemptions import Exemptions, load_exemptions
from policies.props import ReportViolation, ResourceArgs, StackArgs

PACK_NAME = "taskflow-policies"
DEFAULT_ENFORCEMENT_LEVEL = EnforcementLevel.ADVISORY
"""Applies only to a policy that sets no level of its own: new rules start advisory."""

MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY


@dataclass(frozen=True)
class Rule:
    """One resource policy: what ``ResourceValidationPolicy`` needs, kept as plain data."""

    name: str
    description: str
    validator: Callable[[ResourceArgs, ReportViolation], None]
    enforcement_level: EnforcementLevel


@dataclass(frozen=True)
class StackRule:
    """One stack policy: a validator over every resource of the stack at once."""

    name: str
    description: str
    validator: Callable[[StackArgs, ReportViolation], None]
    enforcement_level: EnforcementLevel


RULES: tuple[Rule, ...] = (
    Rule(
        k8s_rules.NON_ROOT_CONTAINERS,
        "Containers run as non-root (runAsNonRoot: true, never UID 0).",
        k8s_rules.containers_run_as_non_root_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.NO_PRIVILEGED_CONTAINERS,
        "Containers are not privileged and set allowPrivilegeEscalation: false.",
        k8s_rules.no_privileged_containers_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.CONTAINER_RESOURCE_LIMITS,
        "Every container sets CPU and memory limits.",
        k8s_rules.container_resource_limits_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.PINNED_IMAGE_TAGS,
        "Container images are pinned: an explicit tag other than latest, or a digest.",
        k8s_rules.no_latest_image_tags_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.WORKLOAD_PROBES,
        "Every Deployment and StatefulSet container has readiness and liveness probes.",
        k8s_rules.deployment_probes_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.DAPR_ANNOTATIONS,
        "Taskflow app pods (part-of=taskflow) carry dapr.io/enabled, app-id and app-port.",
        k8s_rules.dapr_annotations_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.INGRESS_TLS,
        "Every Ingress terminates TLS for all of its hosts.",
        k8s_rules.ingress_tls_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.NO_UNAPPROVED_LOAD_BALANCERS,
        "No Service of type LoadBalancer unless exempted in policies/exemptions.yaml.",
        k8s_rules.no_unapproved_load_balancers_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.NO_PLAINTEXT_SECRETS,
        "No secret-looking literal values in container env, ConfigMaps or Dapr components.",
        k8s_rules.no_plaintext_secrets_validator,
        MANDATORY,
    ),
    Rule(
        k8s_rules.READ_ONLY_ROOT_FILESYSTEM,
        "Containers use a read-only root filesystem.",
        k8s_rules.read_only_root_filesystem_validator,
        ADVISORY,
    ),
    Rule(
        pod_security.HOST_NAMESPACES,
        "Pods do not share the node's network, PID or IPC namespace (Pod Security baseline).",
        pod_security.host_namespaces_validator,
        MANDATORY,
    ),
    Rule(
        pod_security.HOST_PATH_VOLUMES,
        "Pods mount no hostPath volume (Pod Security baseline).",
        pod_security.host_path_volumes_validator,
        MANDATORY,
    ),
    Rule(
        pod_security.HOST_PORTS,
        "Containers bind no hostPort (Pod Security baseline).",
        pod_security.host_ports_validator,
        MANDATORY,
    ),
    Rule(
        pod_security.RESTRICTED_CAPABILITIES,
        "Containers drop ALL capabilities and add back at most NET_BIND_SERVICE (restricted).",
        pod_security.restricted_capabilities_validator,
        MANDATORY,
    ),
    Rule(
        pod_security.SECCOMP_RUNTIME_DEFAULT,
        "Containers run under a RuntimeDefault or Localhost seccomp profile (restricted).",
        pod_security.seccomp_runtime_default_validator,
        MANDATORY,
    ),
    Rule(
        exposure_rules.NO_NODE_PORT_SERVICES,
        "No Service of type NodePort; traffic enters through the ingress or gateway.",
        exposure_rules.no_node_port_services_validator,
        MANDATORY,
    ),
    Rule(
        exposure_rules.NO_CONFIGURATION_SNIPPETS,
        "No ingress or gateway configuration snippets (annotations, SnippetsFilter, patches).",
        exposure_rules.no_configuration_snippets_validator,
        MANDATORY,
    ),
    Rule(
        helm_rules.TRUSTED_HELM_CHARTS,
        "Helm releases install a reviewed chart (policies/trusted-charts.yaml), pinned exactly.",
        helm_rules.trusted_helm_charts_validator,
        MANDATORY,
    ),
    Rule(
        cost_rules.OKE_NODE_POOL_FREE_TIER,
        "OKE node pools use VM.Standard.A1.Flex within 4 OCPUs and 24 GB (Always Free).",
        cost_rules.oke_node_pool_free_tier_validator,
        MANDATORY,
    ),
    Rule(
        cost_rules.HPA_MAX_REPLICAS,
        "HorizontalPodAutoscalers scale to at most 3 replicas.",
        cost_rules.hpa_max_replicas_validator,
        MANDATORY,
    ),
)

STACK_RULES: tuple[StackRule, ...] = (
    StackRule(
        cost_rules.OKE_FREE_TIER_TOTAL,
        "All OKE node pools together stay within 4 OCPUs and 24 GB (Always Free).",
        cost_rules.oke_free_tier_total_validator,
        MANDATORY,
    ),
    StackRule(
        scaling_rules.PDB_FOR_REPLICATED_DEPLOYMENTS,
        "A Deployment that can run more than one replica has a PodDisruptionBudget.",
        scaling_rules.pdb_for_replicated_deployments_validator,
        MANDATORY,
    ),
    StackRule(
        scaling_rules.HPA_OWNS_REPLICAS,
        "A Deployment scaled by a HorizontalPodAutoscaler leaves spec.replicas unset.",
        scaling_rules.hpa_owns_replicas_validator,
        MANDATORY,
    ),
)

EXEMPTIONS: Exemptions = load_exemptions()


def policies(exemptions: Exemptions = EXEMPTIONS) -> list[Policy]:
    """The pack's CrossGuard policies, each skipping what ``exemptions`` exempts from it."""
    resource_policies: list[Policy] = [
        ResourceValidationPolicy(
            name=rule.name,
            description=rule.description,
            validate=exemptions.resource_validator(rule.name, rule.validator),
            enforcement_level=rule.enforcement_level,
        )
        for rule in RULES
    ]
    stack_policies: list[Policy] = [
        StackValidationPolicy(
            name=rule.name,
            description=rule.description,
            validate=exemptions.stack_validator(rule.name, rule.validator),
            enforcement_level=rule.enforcement_level,
        )
        for rule in STACK_RULES
    ]
    return resource_policies + stack_policies


POLICIES: list[Policy] = policies()
