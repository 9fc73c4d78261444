"""The plain-dict Dapr definitions, usable without a Pulumi engine."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from infra.dapr import components


def _metadata(manifest: dict[str, Any]) -> dict[str, Any]:
    return {m["name"]: m for m in manifest["spec"]["metadata"]}


def test_kafka_pubsub_local_has_no_auth() -> None:
    pubsub = components.pubsub_component("kafka", address="kafka:9092", authenticated=False)
    meta = _metadata(pubsub)
    assert pubsub["spec"]["type"] == "pubsub.kafka"
    assert meta["authType"]["value"] == "none"
    assert "auth" not in pubsub


def test_kafka_pubsub_cloud_reads_sasl_from_secret_store() -> None:
    pubsub = components.pubsub_component("kafka", address="rp:9092", authenticated=True)
    meta = _metadata(pubsub)
    assert meta["authType"]["value"] == "password"
    assert meta["saslPassword"]["secretKeyRef"]["key"] == components.KAFKA_PASSWORD_KEY
    assert "value" not in meta["saslPassword"]
    assert pubsub["auth"] == {"secretStore": components.SECRETSTORE}


def test_pubsub_swaps_to_redis_under_same_name() -> None:
    redis = components.pubsub_component("redis", address="redis:6379", authenticated=False)
    kafka = components.pubsub_component("kafka", address="kafka:9092", authenticated=False)
    assert redis["metadata"]["name"] == kafka["metadata"]["name"] == "pubsub"
    assert redis["spec"]["type"] == "pubsub.redis"


def test_state_store_takes_connection_string_from_secret_store() -> None:
    state = components.state_component()
    meta = _metadata(state)
    assert state["spec"]["type"] == "state.postgresql"
    assert meta["connectionString"]["secretKeyRef"]["name"] == components.STATE_CONNECTION_KEY
    assert state["auth"]["secretStore"] == "secretstore"


def test_reminder_binding_ticks_every_minute() -> None:
    binding = components.reminder_binding(scopes=["taskflow-api"])
    assert binding["metadata"]["name"] == "reminder-check"
    assert _metadata(binding)["schedule"]["value"] == "@every 1m"
    assert binding["scopes"] == ["taskflow-api"]


@pytest.mark.parametrize(
    ("kind", "options", "type_"),
    [
        ("kubernetes", {}, "secretstores.kubernetes"),
        (
            "oci-vault",
            {"region": "eu-frankfurt-1", "compartment": "c", "vaultOCID": "v"},
            "secretstores.oci.vault",
        ),
        (
            "azure-keyvault",
            {"vaultName": "kv", "azureClientId": "id"},
            "secretstores.azure.keyvault",
        ),
        ("local-file", {"secretsFile": "/tmp/s.json"}, "secretstores.local.file"),
    ],
)
def test_secretstore_component_matches_kind(
    kind: components.SecretStoreKind, options: dict[str, str], type_: str
) -> None:
    store = components.secretstore_component(kind, options=options)
    assert store["metadata"]["name"] == "secretstore"
    assert store["spec"]["type"] == type_


def test_secretstore_component_names_missing_option() -> None:
    with pytest.raises(ValueError, match="vaultOCID"):
        components.secretstore_component("oci-vault", options={"region": "r", "compartment": "c"})


def test_tracing_configuration_rejects_rate_above_one() -> None:
    with pytest.raises(ValueError, match="sampling rate"):
        components.tracing_configuration(sampling_rate=1.5, otlp_endpoint="jaeger:4317")


def test_components_module_imports_without_pulumi() -> None:
    code = "import sys, infra.dapr.components; sys.exit('pulumi' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
