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


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One resource policy: what ``ResourceValidationPolicy`` needs, kept as plain data."""

    name: str
    description: str
    validator: Callable[[ResourceArgs, ReportViolation], None]
    enforcement_level: EnforcementLevel


@dataclass(frozen=True, kw_only=True)
class StackRule:
    """One stack policy: a validator over every resource of the stack at once."""

    name: str
    description: str
    validator: Callable[[StackArgs, ReportViolation], None]
    enforcement_level: EnforcementLevel


RULES: tuple[Rule, ...] = (
    Rule(
        name=k8s_rules.NON_ROOT_CONTAINERS,
        description="Containers run as non-root (runAsNonRoot: true, never UID 0).",
        validator=k8s_rules.containers_run_as_non_root_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.NO_PRIVILEGED_CONTAINERS,
        description="Containers are not privileged and set allowPrivilegeEscalation: false.",
        validator=k8s_rules.no_privileged_containers_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.CONTAINER_RESOURCE_LIMITS,
        description="Every container sets CPU and memory limits.",
        validator=k8s_rules.container_resource_limits_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.PINNED_IMAGE_TAGS,
        description="Container images are pinned: an explicit tag other than latest, or a digest.",
        validator=k8s_rules.no_latest_image_tags_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.WORKLOAD_PROBES,
        description="Every Deployment and StatefulSet container has readiness and liveness probes.",
        validator=k8s_rules.deployment_probes_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.DAPR_ANNOTATIONS,
        description=(
            "Taskflow app pods (part-of=taskflow) carry dapr.io/enabled, app-id and app-port."
        ),
        validator=k8s_rules.dapr_annotations_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.INGRESS_TLS,
        description="Every Ingress terminates TLS for all of its hosts.",
        validator=k8s_rules.ingress_tls_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.NO_UNAPPROVED_LOAD_BALANCERS,
        description="No Service of type LoadBalancer unless exempted in policies/exemptions.yaml.",
        validator=k8s_rules.no_unapproved_load_balancers_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.NO_PLAINTEXT_SECRETS,
        description=(
            "No secret-looking literal values in container env, ConfigMaps or Dapr components."
        ),
        validator=k8s_rules.no_plaintext_secrets_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=k8s_rules.READ_ONLY_ROOT_FILESYSTEM,
        description="Containers use a read-only root filesystem.",
        validator=k8s_rules.read_only_root_filesystem_validator,
        enforcement_level=ADVISORY,
    ),
    Rule(
        name=pod_security.HOST_NAMESPACES,
        description=(
            "Pods do not share the node's network, PID or IPC namespace (Pod Security baseline)."
        ),
        validator=pod_security.host_namespaces_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=pod_security.HOST_PATH_VOLUMES,
        description="Pods mount no hostPath volume (Pod Security baseline).",
        validator=pod_security.host_path_volumes_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=pod_security.HOST_PORTS,
        description="Containers bind no hostPort (Pod Security baseline).",
        validator=pod_security.host_ports_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=pod_security.RESTRICTED_CAPABILITIES,
        description=(
            "Containers drop ALL capabilities and add back at most NET_BIND_SERVICE (restricted)."
        ),
        validator=pod_security.restricted_capabilities_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=pod_security.SECCOMP_RUNTIME_DEFAULT,
        description=(
            "Containers run under a RuntimeDefault or Localhost seccomp profile (restricted)."
        ),
        validator=pod_security.seccomp_runtime_default_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=exposure_rules.NO_NODE_PORT_SERVICES,
        description="No Service of type NodePort; traffic enters through the ingress or gateway.",
        validator=exposure_rules.no_node_port_services_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=exposure_rules.NO_CONFIGURATION_SNIPPETS,
        description=(
            "No ingress or gateway configuration snippets (annotations, SnippetsFilter, patches)."
        ),
        validator=exposure_rules.no_configuration_snippets_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=helm_rules.TRUSTED_HELM_CHARTS,
        description=(
            "Helm releases install a reviewed chart (policies/trusted-charts.yaml), pinned exactly."
        ),
        validator=helm_rules.trusted_helm_charts_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=cost_rules.OKE_NODE_POOL_FREE_TIER,
        description=(
            "OKE node pools use VM.Standard.A1.Flex within 4 OCPUs and 24 GB (Always Free)."
        ),
        validator=cost_rules.oke_node_pool_free_tier_validator,
        enforcement_level=MANDATORY,
    ),
    Rule(
        name=cost_rules.HPA_MAX_REPLICAS,
        description="HorizontalPodAutoscalers scale to at most 3 replicas.",
        validator=cost_rules.hpa_max_replicas_validator,
        enforcement_level=MANDATORY,
    ),
)

STACK_RULES: tuple[StackRule, ...] = (
    StackRule(
        name=cost_rules.OKE_FREE_TIER_TOTAL,
        description="All OKE node pools together stay within 4 OCPUs and 24 GB (Always Free).",
        validator=cost_rules.oke_free_tier_total_validator,
        enforcement_level=MANDATORY,
    ),
    StackRule(
        name=scaling_rules.PDB_FOR_REPLICATED_DEPLOYMENTS,
        description="A Deployment that can run more than one replica has a PodDisruptionBudget.",
        validator=scaling_rules.pdb_for_replicated_deployments_validator,
        enforcement_level=MANDATORY,
    ),
    StackRule(
        name=scaling_rules.HPA_OWNS_REPLICAS,
        description="A Deployment scaled by a HorizontalPodAutoscaler leaves spec.replicas unset.",
        validator=scaling_rules.hpa_owns_replicas_validator,
        enforcement_level=MANDATORY,
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
