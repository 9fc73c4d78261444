"""Rendered objects validate: built-ins against the Kubernetes 1.33 schemas, CRs against vendored ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import kubernetes_validate  # type: ignore[import-untyped]
import pytest

from infra.dapr import components
from infra.platform_services.strimzi import StrimziKafkaArgs, kafka_manifest
from tests.infra.harness import Recorder
from tests.infra.schema_check import has_custom_schema, validate_builtin, validate_custom

Deployed = Callable[[str], Recorder]


def test_builtin_objects_validate_against_kubernetes_schemas(
    deployed: Deployed, stack: str
) -> None:
    checked = 0
    for resource in deployed(stack).kubernetes():
        manifest = resource.manifest
        if "." in manifest["apiVersion"].split("/")[0] and not manifest["apiVersion"].startswith(
            ("networking.k8s.io", "apps", "policy", "autoscaling")
        ):
            continue
        validate_builtin(manifest)
        checked += 1
    assert checked >= 30


def test_custom_resources_validate_against_vendored_schemas(deployed: Deployed, stack: str) -> None:
    kinds: set[str] = set()
    for resource in deployed(stack).kubernetes():
        manifest = resource.manifest
        if has_custom_schema(manifest):
            validate_custom(manifest)
            kinds.add(manifest["kind"])
    assert kinds >= {"Component", "Configuration", "Kafka", "KafkaNodePool", "KafkaTopic"}
    assert kinds >= {"ClusterIssuer", "PodMonitor"}


def test_validate_builtin_rejects_unknown_field() -> None:
    bad: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "x"},
        "dta": {"a": "b"},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        validate_builtin(bad)


def test_validate_custom_rejects_misspelt_dapr_field() -> None:
    bad = components.reminder_binding()
    bad["spec"]["metdata"] = bad["spec"].pop("metadata")
    with pytest.raises(jsonschema.ValidationError):
        validate_custom(bad)


def test_validate_custom_rejects_kafka_without_listeners() -> None:
    bad = kafka_manifest(StrimziKafkaArgs(partitions=1, replicas=1, persistent=False))
    bad["spec"]["kafka"]["listeners"] = []
    with pytest.raises(jsonschema.ValidationError):
        validate_custom(bad)
