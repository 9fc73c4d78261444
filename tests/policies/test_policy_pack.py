"""The pack's structure, and its policies driven through the real pulumi_policy objects.

Nothing here starts the gRPC server: ``policies/__main__.py`` is read as source, never imported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from policies.pack import DEFAULT_ENFORCEMENT_LEVEL, PACK_NAME, POLICIES, RULES
from tests.policies.policy_factories import DEPLOYMENT, Report, deployment, good_container

ROOT = Path(__file__).resolve().parents[2]
MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY

# The list (all enforced in CI) plus new rules, which start advisory.
EXPECTED_LEVELS = {
    "containers-run-as-non-root": MANDATORY,
    "no-privileged-containers": MANDATORY,
    "container-resource-limits": MANDATORY,
    "no-latest-image-tags": MANDATORY,
    "deployment-probes": MANDATORY,
    "dapr-annotations": MANDATORY,
    "ingress-tls": MANDATORY,
    "no-unapproved-load-balancers": MANDATORY,
    "no-plaintext-secrets": MANDATORY,
    "oke-node-pool-free-tier": MANDATORY,
    "oke-free-tier-total": MANDATORY,
    "hpa-max-replicas": MANDATORY,
    "read-only-root-filesystem": ADVISORY,
    # Issue 12: Pod Security baseline/restricted, exposure, Helm charts, scaling (all enforced).
    "no-host-namespaces": MANDATORY,
    "no-host-path-volumes": MANDATORY,
    "no-host-ports": MANDATORY,
    "restricted-capabilities": MANDATORY,
    "seccomp-runtime-default": MANDATORY,
    "no-node-port-services": MANDATORY,
    "no-configuration-snippets": MANDATORY,
    "trusted-helm-charts": MANDATORY,
    "pdb-for-replicated-deployments": MANDATORY,
    "hpa-owns-replicas": MANDATORY,
}


def policy(name: str) -> Any:
    return next(p for p in POLICIES if p.name == name)


def options() -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
    )


def validation_args(resource_type: str, props: dict[str, Any]) -> ResourceValidationArgs:
    """What the analyzer builds: props wrapped in the SDK's unknown-checking Mapping proxy."""
    return ResourceValidationArgs(
        resource_type,
        unknown_checking_proxy(props),
        f"urn:pulumi:test::taskflow::{resource_type}::api",
        "api",
        options(),
        None,
    )


def test_pack_lists_policies_with_expected_enforcement_levels() -> None:
    assert {p.name: p.enforcement_level for p in POLICIES} == EXPECTED_LEVELS


def test_pack_policy_names_are_unique_kebab_case() -> None:
    names = [p.name for p in POLICIES]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name


def test_pack_policies_have_descriptions() -> None:
    for p in POLICIES:
        assert p.description.strip().endswith("."), p.name


def test_pack_policies_are_of_expected_kinds() -> None:
    resource_names = {rule.name for rule in RULES}
    for p in POLICIES:
        expected = ResourceValidationPolicy if p.name in resource_names else StackValidationPolicy
        assert isinstance(p, expected), p.name


def test_pack_defaults_new_policies_to_advisory() -> None:
    assert DEFAULT_ENFORCEMENT_LEVEL == ADVISORY
    assert re.fullmatch(r"[a-zA-Z0-9-_.]{1,100}", PACK_NAME)


def test_spec_documents_every_policy() -> None:
    spec = (ROOT / "specs" / "policies" / "spec.md").read_text(encoding="utf-8")
    for p in POLICIES:
        assert f"`{p.name}`" in spec, f"{p.name} is not documented in specs/policies/spec.md"


def test_main_module_only_builds_the_pack() -> None:
    tree = ast.parse((ROOT / "policies" / "__main__.py").read_text(encoding="utf-8"))
    statements = [s for s in tree.body if not isinstance(s, ast.Import | ast.ImportFrom)]
    statements = [
        s for s in statements if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    assert len(statements) == 1
    call = statements[0]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    assert isinstance(call.value.func, ast.Name) and call.value.func.id == "PolicyPack"
    keywords = {kw.arg for kw in call.value.keywords}
    assert keywords == {"name", "policies", "enforcement_level"}


def test_policy_yaml_declares_python_runtime_in_project_venv() -> None:
    manifest = yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text("utf-8"))
    assert manifest["runtime"]["name"] == "python"
    venv = ROOT / "policies" / manifest["runtime"]["options"]["virtualenv"]
    assert venv.resolve() == (ROOT / ".venv").resolve()
    assert manifest["version"]


def test_policy_validate_reports_through_sdk_args() -> None:
    props = deployment(good_container(image="busybox"))
    report = Report()
    policy("no-latest-image-tags").validate(validation_args(DEPLOYMENT, props), report)
    assert len(report.messages) == 1
    assert "untagged" in report.messages[0]


@pytest.mark.parametrize("name", sorted(rule.name for rule in RULES))
def test_policy_validate_accepts_good_deployment_through_sdk_args(name: str) -> None:
    report = Report()
    policy(name).validate(validation_args(DEPLOYMENT, deployment()), report)
    assert report.messages == []


def test_policy_validate_surfaces_unknown_values_during_preview() -> None:
    props = deployment(good_container(image=UNKNOWN_STRING_VALUE))
    with pytest.raises(UnknownValueError):
        policy("no-latest-image-tags").validate(validation_args(DEPLOYMENT, props), Report())


def test_stack_policy_validate_sums_node_pools_through_sdk_args() -> None:
    def pool(name: str) -> PolicyResource:
        props = {
            "nodeShape": "VM.Standard.A1.Flex",
            "nodeConfigDetails": {"size": 2},
            "nodeShapeConfig": {"ocpus": 2, "memoryInGbs": 12},
        }
        return PolicyResource(
            "oci:ContainerEngine/nodePool:NodePool",
            unknown_checking_proxy(props),
            f"urn:pulumi:oke::taskflow::oci:ContainerEngine/nodePool:NodePool::{name}",
            name,
            options(),
            None,
            None,
            [],
            {},
        )

    report = Report()
    policy("oke-free-tier-total").validate(StackValidationArgs([pool("a"), pool("b")]), report)
    assert len(report.messages) == 2
