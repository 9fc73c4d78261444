"""NodePort Services and configuration snippets: a passing and a failing object for each."""

from __future__ import annotations

from typing import Any

import pytest

from policies import exposure_rules
from tests.policies.policy_factories import Report, resource

SERVICE = "kubernetes:core/v1:Service"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"


def run_snippets(resource_type: str, props: dict[str, Any]) -> list[str]:
    report = Report()
    exposure_rules.no_configuration_snippets_validator(resource(resource_type, props), report)
    return report.messages


def annotated(annotations: dict[str, str]) -> dict[str, Any]:
    return {"metadata": {"name": "taskflow", "namespace": "taskflow", "annotations": annotations}}


@pytest.mark.parametrize("service_type", [None, "ClusterIP", "LoadBalancer"])
def test_node_port_rule_accepts_other_types(service_type: str | None) -> None:
    props = {"metadata": {"name": "api"}, "spec": {"type": service_type} if service_type else {}}
    report = Report()
    exposure_rules.no_node_port_services_validator(resource(SERVICE, props), report)
    assert report.messages == []


def test_node_port_rule_rejects_node_port_service() -> None:
    props = {"metadata": {"name": "api", "namespace": "taskflow"}, "spec": {"type": "NodePort"}}
    report = Report()
    exposure_rules.no_node_port_services_validator(resource(SERVICE, props), report)
    (message,) = report.messages
    assert message.startswith("Service taskflow/api: type NodePort")


@pytest.mark.parametrize(
    "key",
    [
        "nginx.ingress.kubernetes.io/configuration-snippet",
        "nginx.ingress.kubernetes.io/server-snippet",
        "nginx.ingress.kubernetes.io/auth-snippet",
        "nginx.ingress.kubernetes.io/stream-snippet",
        "nginx.org/location-snippets",
        "haproxy.org/backend-config-snippet",
    ],
)
def test_snippets_reject_snippet_annotations(key: str) -> None:
    (message,) = run_snippets(INGRESS, annotated({key: "deny all;"}))
    assert key in message


def test_snippets_accept_ordinary_ingress_annotations() -> None:
    props = annotated(
        {
            "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
            "cert-manager.io/cluster-issuer": "letsencrypt-prod",
        }
    )
    assert run_snippets(INGRESS, props) == []


def test_snippets_reject_gateway_snippet_objects() -> None:
    token = "kubernetes:gateway.nginx.org/v1alpha1:SnippetsFilter"
    (message,) = run_snippets(token, {"metadata": {"name": "raw"}})
    assert "SnippetsFilter injects raw proxy configuration" in message
    (patch,) = run_snippets("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyPatchPolicy", {})
    assert "EnvoyPatchPolicy" in patch


def test_snippets_reject_controller_configmap_that_allows_them() -> None:
    props = {
        "metadata": {"name": "ingress-nginx-controller"},
        "data": {"allow-snippet-annotations": "true"},
    }
    assert len(run_snippets("kubernetes:core/v1:ConfigMap", props)) == 1
    props["data"]["allow-snippet-annotations"] = "false"
    assert run_snippets("kubernetes:core/v1:ConfigMap", props) == []


def test_snippets_accept_plain_gateway_route() -> None:
    props = annotated({"example.com/owner": "team-a"})
    assert run_snippets("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", props) == []
