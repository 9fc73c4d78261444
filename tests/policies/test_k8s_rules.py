"""Each Kubernetes validator with a passing and a failing resource (plus the edge cases)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from policies import k8s_rules
from tests.policies.policy_factories import (
    DEPLOYMENT,
    Report,
    dapr_annotations,
    deployment,
    good_container,
    resource,
)

Validator = Callable[[Any, Any], None]

ALL_VALIDATORS: list[Validator] = [
    k8s_rules.containers_run_as_non_root_validator,
    k8s_rules.no_privileged_containers_validator,
    k8s_rules.container_resource_limits_validator,
    k8s_rules.no_latest_image_tags_validator,
    k8s_rules.deployment_probes_validator,
    k8s_rules.dapr_annotations_validator,
    k8s_rules.ingress_tls_validator,
    k8s_rules.no_unapproved_load_balancers_validator,
    k8s_rules.no_plaintext_secrets_validator,
    k8s_rules.read_only_root_filesystem_validator,
]


def run(validator: Validator, args: SimpleNamespace) -> list[str]:
    report = Report()
    validator(args, report)
    return report.messages


# --- every validator -----------------------------------------------------------------------


@pytest.mark.parametrize("validator", ALL_VALIDATORS, ids=lambda v: v.__name__)
def test_validators_accept_good_deployment(validator: Validator) -> None:
    assert run(validator, resource(DEPLOYMENT, deployment())) == []


@pytest.mark.parametrize("validator", ALL_VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize(
    "resource_type",
    [
        "oci:ContainerEngine/nodePool:NodePool",
        "kubernetes:core/v1:Namespace",
        "kubernetes:apps/v1:DeploymentPatch",
        "kubernetes:helm.sh/v3:Release",
    ],
)
def test_validators_ignore_ungoverned_types(validator: Validator, resource_type: str) -> None:
    props = deployment(good_container(image="busybox", securityContext={"privileged": True}))
    assert run(validator, resource(resource_type, props)) == []


@pytest.mark.parametrize("validator", ALL_VALIDATORS, ids=lambda v: v.__name__)
@pytest.mark.parametrize(
    "props",
    [
        {},
        {"metadata": None, "spec": None},
        {"spec": {"template": {"spec": {"containers": None}}}},
        {"spec": {"template": {"spec": {"containers": ["not-a-mapping", {}]}}}},
        {"spec": {"type": "LoadBalancer", "tls": "nope", "rules": [None]}, "data": None},
    ],
)
@pytest.mark.parametrize(
    "resource_type",
    [
        DEPLOYMENT,
        "kubernetes:core/v1:Service",
        "kubernetes:networking.k8s.io/v1:Ingress",
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:dapr.io/v1alpha1:Component",
    ],
)
def test_validators_tolerate_missing_fields(
    validator: Validator, props: dict[str, Any], resource_type: str
) -> None:
    for message in run(validator, resource(resource_type, props)):
        assert isinstance(message, str)


# --- containers-run-as-non-root -------------------------------------------------------------


def test_non_root_accepts_pod_level_run_as_non_root() -> None:
    container = good_container(securityContext={"allowPrivilegeEscalation": False})
    props = deployment(container, pod_security_context={"runAsNonRoot": True})
    assert run(k8s_rules.containers_run_as_non_root_validator, resource(DEPLOYMENT, props)) == []


def test_non_root_rejects_missing_run_as_non_root() -> None:
    props = deployment(good_container(securityContext={}))
    messages = run(k8s_rules.containers_run_as_non_root_validator, resource(DEPLOYMENT, props))
    assert len(messages) == 1
    assert "runAsNonRoot" in messages[0]
    assert "taskflow/taskflow-api" in messages[0]


def test_non_root_rejects_container_overriding_pod_level() -> None:
    container = good_container(securityContext={"runAsNonRoot": False})
    props = deployment(container, pod_security_context={"runAsNonRoot": True})
    messages = run(k8s_rules.containers_run_as_non_root_validator, resource(DEPLOYMENT, props))
    assert len(messages) == 1


def test_non_root_rejects_uid_zero() -> None:
    container = good_container(securityContext={"runAsNonRoot": True, "runAsUser": 0})
    messages = run(
        k8s_rules.containers_run_as_non_root_validator, resource(DEPLOYMENT, deployment(container))
    )
    assert messages == ["Deployment taskflow/taskflow-api: container 'api' runs as UID 0 (root)."]


def test_non_root_checks_init_containers() -> None:
    init = good_container(name="migrate", securityContext={})
    props = deployment(init_containers=[init])
    messages = run(k8s_rules.containers_run_as_non_root_validator, resource(DEPLOYMENT, props))
    assert len(messages) == 1
    assert "'migrate'" in messages[0]


def test_non_root_ignores_self_granted_exemption_annotation() -> None:
    # The annotation that used to exempt an object is just an annotation now.
    props = deployment(
        good_container(securityContext={}),
        annotations={"taskflow.dev/policy-exempt": "containers-run-as-non-root"},
    )
    messages = run(k8s_rules.containers_run_as_non_root_validator, resource(DEPLOYMENT, props))
    assert len(messages) == 1


@pytest.mark.parametrize(
    ("resource_type", "props"),
    [
        (
            "kubernetes:core/v1:Pod",
            {"spec": {"containers": [good_container(securityContext={})]}},
        ),
        (
            "kubernetes:batch/v1:CronJob",
            {
                "spec": {
                    "jobTemplate": {
                        "spec": {
                            "template": {
                                "spec": {"containers": [good_container(securityContext={})]}
                            }
                        }
                    }
                }
            },
        ),
        (
            "kubernetes:apps/v1:DaemonSet",
            {"spec": {"template": {"spec": {"containers": [good_container(securityContext={})]}}}},
        ),
    ],
)
def test_non_root_rejects_root_in_other_workload_kinds(
    resource_type: str, props: dict[str, Any]
) -> None:
    messages = run(k8s_rules.containers_run_as_non_root_validator, resource(resource_type, props))
    assert len(messages) == 1


# --- no-privileged-containers ---------------------------------------------------------------


def test_privileged_accepts_unprivileged_container() -> None:
    props = deployment()
    assert run(k8s_rules.no_privileged_containers_validator, resource(DEPLOYMENT, props)) == []


def test_privileged_rejects_privileged_container() -> None:
    container = good_container(
        securityContext={"privileged": True, "allowPrivilegeEscalation": False}
    )
    messages = run(
        k8s_rules.no_privileged_containers_validator, resource(DEPLOYMENT, deployment(container))
    )
    assert messages == ["Deployment taskflow/taskflow-api: container 'api' is privileged."]


def test_privileged_rejects_missing_allow_privilege_escalation() -> None:
    container = good_container(securityContext={"runAsNonRoot": True})
    messages = run(
        k8s_rules.no_privileged_containers_validator, resource(DEPLOYMENT, deployment(container))
    )
    assert len(messages) == 1
    assert "allowPrivilegeEscalation: false" in messages[0]


# --- container-resource-limits --------------------------------------------------------------


def test_limits_accept_cpu_and_memory_limits() -> None:
    props = deployment()
    assert run(k8s_rules.container_resource_limits_validator, resource(DEPLOYMENT, props)) == []


def test_limits_reject_missing_memory_limit() -> None:
    container = good_container(resources={"limits": {"cpu": "500m"}})
    messages = run(
        k8s_rules.container_resource_limits_validator, resource(DEPLOYMENT, deployment(container))
    )
    assert messages == [
        "Deployment taskflow/taskflow-api: container 'api' has no memory limit (resources.limits)."
    ]


def test_limits_reject_requests_only_init_container() -> None:
    init = good_container(name="migrate", resources={"requests": {"cpu": "100m"}})
    props = deployment(init_containers=[init])
    messages = run(k8s_rules.container_resource_limits_validator, resource(DEPLOYMENT, props))
    assert len(messages) == 1
    assert "no cpu or memory limit" in messages[0]


# --- no-latest-image-tags -------------------------------------------------------------------


@pytest.mark.parametrize(
    "image",
    [
        "ghcr.io/example/taskflow-api:3f2c1e9",
        "postgres:16.4",
        "localhost:5000/taskflow-api:dev",
        "ghcr.io/example/taskflow-api@sha256:0123abcd",
        "ghcr.io/example/taskflow-api:latest@sha256:0123abcd",
    ],
)
def test_image_problem_accepts_pinned_image(image: str) -> None:
    assert k8s_rules.image_problem(image) is None


@pytest.mark.parametrize(
    "image",
    [
        "busybox",
        "busybox:latest",
        "busybox:LATEST",
        "localhost:5000/app",
        "app:",
        "",
        "  ",
        None,
        3,
    ],
)
def test_image_problem_rejects_unpinned_image(image: object) -> None:
    assert k8s_rules.image_problem(image) is not None


def test_image_tags_reject_latest_image() -> None:
    container = good_container(image="ghcr.io/example/taskflow-web:latest")
    messages = run(
        k8s_rules.no_latest_image_tags_validator, resource(DEPLOYMENT, deployment(container))
    )
    assert len(messages) == 1
    assert ":latest" in messages[0]


def test_image_tags_accept_pinned_image() -> None:
    props = deployment()
    assert run(k8s_rules.no_latest_image_tags_validator, resource(DEPLOYMENT, props)) == []


# --- deployment-probes ----------------------------------------------------------------------


def test_probes_accept_readiness_and_liveness() -> None:
    assert run(k8s_rules.deployment_probes_validator, resource(DEPLOYMENT, deployment())) == []


def test_probes_reject_missing_liveness_probe() -> None:
    container = good_container(livenessProbe=None)
    messages = run(
        k8s_rules.deployment_probes_validator, resource(DEPLOYMENT, deployment(container))
    )
    assert messages == ["Deployment taskflow/taskflow-api: container 'api' has no livenessProbe."]


def test_probes_reject_statefulset_without_probes() -> None:
    container = good_container(readinessProbe={}, livenessProbe=None)
    props = {"spec": {"template": {"spec": {"containers": [container]}}}}
    messages = run(
        k8s_rules.deployment_probes_validator,
        resource("kubernetes:apps/v1:StatefulSet", props),
    )
    assert len(messages) == 1
    assert "readinessProbe or livenessProbe" in messages[0]


def test_probes_ignore_jobs() -> None:
    container = good_container(readinessProbe=None, livenessProbe=None)
    props = {"spec": {"template": {"spec": {"containers": [container]}}}}
    assert (
        run(k8s_rules.deployment_probes_validator, resource("kubernetes:batch/v1:Job", props)) == []
    )


def test_probes_ignore_init_containers() -> None:
    init = good_container(name="migrate", readinessProbe=None, livenessProbe=None)
    props = deployment(init_containers=[init])
    assert run(k8s_rules.deployment_probes_validator, resource(DEPLOYMENT, props)) == []


# --- dapr-annotations -----------------------------------------------------------------------


def test_dapr_accepts_annotated_taskflow_pod() -> None:
    assert run(k8s_rules.dapr_annotations_validator, resource(DEPLOYMENT, deployment())) == []


def test_dapr_rejects_taskflow_pod_without_annotations() -> None:
    props = deployment(pod_annotations={})
    messages = run(k8s_rules.dapr_annotations_validator, resource(DEPLOYMENT, props))
    assert len(messages) == 1
    for key in ("dapr.io/enabled", "dapr.io/app-id", "dapr.io/app-port"):
        assert key in messages[0]


def test_dapr_rejects_non_numeric_app_port() -> None:
    props = deployment(pod_annotations=dapr_annotations(port="http"))
    messages = run(k8s_rules.dapr_annotations_validator, resource(DEPLOYMENT, props))
    assert len(messages) == 1
    assert "app-port" in messages[0]


def test_dapr_rejects_annotations_on_deployment_metadata_only() -> None:
    props = deployment(pod_annotations={}, annotations=dapr_annotations())
    messages = run(k8s_rules.dapr_annotations_validator, resource(DEPLOYMENT, props))
    assert len(messages) == 1
    assert "spec.template.metadata" in messages[0]


def test_dapr_selects_pods_labelled_on_template() -> None:
    props = deployment(pod_annotations={}, labels={})
    props["spec"]["template"]["metadata"]["labels"] = {"app.kubernetes.io/part-of": "taskflow"}
    assert len(run(k8s_rules.dapr_annotations_validator, resource(DEPLOYMENT, props))) == 1


def test_dapr_ignores_deployments_not_part_of_taskflow() -> None:
    props = deployment(pod_annotations={}, labels={"app.kubernetes.io/part-of": "ingress-nginx"})
    assert run(k8s_rules.dapr_annotations_validator, resource(DEPLOYMENT, props)) == []


# --- ingress-tls ----------------------------------------------------------------------------

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"


def ingress(tls: list[dict[str, Any]] | None, *hosts: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"rules": [{"host": host} for host in hosts]}
    if tls is not None:
        spec["tls"] = tls
    return {"metadata": {"name": "taskflow", "namespace": "taskflow"}, "spec": spec}


def test_ingress_accepts_tls_for_every_host() -> None:
    props = ingress(
        [{"hosts": ["taskflow.example.com"], "secretName": "tls"}], "taskflow.example.com"
    )
    assert run(k8s_rules.ingress_tls_validator, resource(INGRESS, props)) == []


def test_ingress_rejects_missing_tls() -> None:
    messages = run(
        k8s_rules.ingress_tls_validator, resource(INGRESS, ingress(None, "a.example.com"))
    )
    assert messages == ["Ingress taskflow/taskflow: has no spec.tls; serve it over HTTPS."]


def test_ingress_rejects_host_without_tls_entry() -> None:
    props = ingress([{"hosts": ["a.example.com"]}], "a.example.com", "b.example.com")
    messages = run(k8s_rules.ingress_tls_validator, resource(INGRESS, props))
    assert len(messages) == 1
    assert "'b.example.com'" in messages[0]


def test_ingress_accepts_wildcard_tls_host() -> None:
    props = ingress([{"hosts": ["*.example.com"]}], "api.example.com")
    assert run(k8s_rules.ingress_tls_validator, resource(INGRESS, props)) == []


def test_ingress_rejects_wildcard_for_deeper_host() -> None:
    props = ingress([{"hosts": ["*.example.com"]}], "a.b.example.com")
    assert len(run(k8s_rules.ingress_tls_validator, resource(INGRESS, props))) == 1


def test_ingress_accepts_tls_entry_without_hosts() -> None:
    props = ingress([{"secretName": "default-tls"}], "a.example.com")
    assert run(k8s_rules.ingress_tls_validator, resource(INGRESS, props)) == []


# --- no-unapproved-load-balancers -----------------------------------------------------------

SERVICE = "kubernetes:core/v1:Service"


def service(service_type: str | None, annotations: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "metadata": {"name": "web", "annotations": annotations or {}},
        "spec": {"type": service_type} if service_type else {},
    }


@pytest.mark.parametrize("service_type", [None, "ClusterIP", "NodePort"])
def test_load_balancer_rule_accepts_other_service_types(service_type: str | None) -> None:
    props = service(service_type)
    assert run(k8s_rules.no_unapproved_load_balancers_validator, resource(SERVICE, props)) == []


@pytest.mark.parametrize("annotations", [None, {"taskflow.dev/allow-load-balancer": "true"}])
def test_load_balancer_rule_rejects_unapproved_load_balancer(
    annotations: dict[str, str] | None,
) -> None:
    props = service("LoadBalancer", annotations)
    messages = run(k8s_rules.no_unapproved_load_balancers_validator, resource(SERVICE, props))
    assert len(messages) == 1
    assert messages[0].startswith("Service web: type LoadBalancer")


# --- no-plaintext-secrets -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "JWT_SECRET",
        "KAFKA_SASL_PASSWORD",
        "OPENAI_API_KEY",
        "SENTRY_DSN",
        "saslPassword",
        "apiToken",
    ],
)
def test_looks_secret_matches_secret_names(name: str) -> None:
    assert k8s_rules.looks_secret(name)


@pytest.mark.parametrize(
    "name",
    ["DAPR_SECRET_STORE", "JWT_SECRET_NAME", "keyPrefix", "LOG_LEVEL", "PORT", "TOKEN_URL", None],
)
def test_looks_secret_ignores_references_and_plain_names(name: object) -> None:
    assert not k8s_rules.looks_secret(name)


def test_secrets_accept_value_from_secret_key_ref() -> None:
    env = [
        {"name": "JWT_SECRET", "valueFrom": {"secretKeyRef": {"name": "s", "key": "JWT_SECRET"}}},
        {"name": "DAPR_SECRET_STORE", "value": "secretstore"},
        {"name": "OPENAI_API_KEY", "value": ""},
    ]
    props = deployment(good_container(env=env))
    assert run(k8s_rules.no_plaintext_secrets_validator, resource(DEPLOYMENT, props)) == []


def test_secrets_reject_literal_secret_env() -> None:
    env = [{"name": "JWT_SECRET", "value": "s3cr3t"}]
    messages = run(
        k8s_rules.no_plaintext_secrets_validator,
        resource(DEPLOYMENT, deployment(good_container(env=env))),
    )
    assert len(messages) == 1
    assert "'JWT_SECRET'" in messages[0]
    assert "s3cr3t" not in messages[0]


def test_secrets_reject_url_with_credentials_in_env() -> None:
    env = [{"name": "DATABASE_URL", "value": "postgresql+psycopg://app:pw@db:5432/taskflow"}]
    messages = run(
        k8s_rules.no_plaintext_secrets_validator,
        resource(DEPLOYMENT, deployment(good_container(env=env))),
    )
    assert len(messages) == 1
    assert "embedded credentials" in messages[0]


def test_secrets_accept_url_without_credentials() -> None:
    env = [{"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://jaeger:4318"}]
    props = deployment(good_container(env=env))
    assert run(k8s_rules.no_plaintext_secrets_validator, resource(DEPLOYMENT, props)) == []


def test_secrets_reject_secret_in_configmap_data() -> None:
    props = {"metadata": {"name": "cfg"}, "data": {"LOG_LEVEL": "info", "API_TOKEN": "abc"}}
    messages = run(
        k8s_rules.no_plaintext_secrets_validator, resource("kubernetes:core/v1:ConfigMap", props)
    )
    assert len(messages) == 1
    assert "'API_TOKEN'" in messages[0]


def test_secrets_accept_plain_configmap() -> None:
    props = {
        "metadata": {"name": "cfg"},
        "data": {"LOG_LEVEL": "info", "DAPR_PUBSUB_NAME": "pubsub"},
    }
    assert (
        run(
            k8s_rules.no_plaintext_secrets_validator,
            resource("kubernetes:core/v1:ConfigMap", props),
        )
        == []
    )


DAPR_COMPONENT = "kubernetes:dapr.io/v1alpha1:Component"


def test_secrets_reject_literal_dapr_component_password() -> None:
    props = {
        "metadata": {"name": "pubsub"},
        "spec": {
            "type": "pubsub.kafka",
            "metadata": [
                {"name": "brokers", "value": "kafka:9092"},
                {"name": "saslPassword", "value": "hunter2"},
            ],
        },
    }
    messages = run(k8s_rules.no_plaintext_secrets_validator, resource(DAPR_COMPONENT, props))
    assert len(messages) == 1
    assert "'saslPassword'" in messages[0]


def test_secrets_accept_dapr_component_secret_key_ref() -> None:
    props = {
        "metadata": {"name": "statestore"},
        "spec": {
            "type": "state.postgresql",
            "metadata": [
                {"name": "connectionString", "secretKeyRef": {"name": "db", "key": "dsn"}},
                {"name": "keyPrefix", "value": "none"},
            ],
        },
        "auth": {"secretStore": "secretstore"},
    }
    assert run(k8s_rules.no_plaintext_secrets_validator, resource(DAPR_COMPONENT, props)) == []


# --- read-only-root-filesystem (advisory) ---------------------------------------------------


def test_read_only_root_accepts_read_only_container() -> None:
    props = deployment()
    assert run(k8s_rules.read_only_root_filesystem_validator, resource(DEPLOYMENT, props)) == []


def test_read_only_root_rejects_writable_container() -> None:
    container = good_container(securityContext={"runAsNonRoot": True})
    messages = run(
        k8s_rules.read_only_root_filesystem_validator, resource(DEPLOYMENT, deployment(container))
    )
    assert len(messages) == 1
    assert "readOnlyRootFilesystem" in messages[0]
