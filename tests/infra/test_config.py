"""load_config: stack files load, and bad or missing keys fail naming the key."""

from __future__ import annotations

import pytest

from infra.config import ConfigError, load_config
from tests.infra.harness import FAKE_SECRETS, apply_config, stack_config


def _config(stack: str, **overrides: str) -> dict[str, str]:
    values = stack_config(stack)
    values.update({f"taskflow:{k}": v for k, v in FAKE_SECRETS.items()})
    values.update({f"taskflow:{k}": v for k, v in overrides.items()})
    return values


def _load(values: dict[str, str]) -> None:
    apply_config(values)
    load_config()


def test_load_config_reads_every_stack_file(stack: str) -> None:
    apply_config(_config(stack))
    cfg = load_config()
    assert cfg.target == stack
    assert cfg.image_tag != "latest"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("target", "eks", "one of"),
        ("imageTag", "latest", "immutable"),
        ("kafkaPartitions", "many", "integer"),
        ("kafkaPartitions", "40", "between"),
        ("tracingSamplingRate", "2", "between"),
        ("pubsubKind", "nats", "one of"),
        ("lokiRetention", "3 days", "72h"),
        ("postgresInCluster", "maybe", "true or false"),
        ("secretStore", "vault", "one of"),
    ],
)
def test_load_config_rejects_bad_value_naming_key(key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=rf"taskflow:{key} .*{message}"):
        _load(_config("minikube", **{key: value}))


@pytest.mark.parametrize(
    ("stack", "key"),
    [
        ("minikube", "imageTag"),
        ("minikube", "host"),
        ("minikube", "jwtSecret"),
        ("minikube", "postgresPassword"),
        ("oke", "databaseUrl"),
        ("oke", "ociCompartmentId"),
        ("oke", "ociVaultKeyId"),
        ("aks", "azureLocation"),
        ("gke", "gcpProject"),
        ("oke", "acmeEmail"),
    ],
)
def test_load_config_fails_naming_missing_key(stack: str, key: str) -> None:
    values = _config(stack)
    values.pop(f"taskflow:{key}", None)
    values[f"taskflow:{key}"] = ""
    with pytest.raises(ConfigError, match=rf"taskflow:{key} "):
        _load(values)


def test_load_config_requires_redpanda_credentials_when_redpanda() -> None:
    values = _config("oke", kafkaMode="redpanda", redpandaBootstrapServers="rp.example:9092")
    with pytest.raises(ConfigError, match="taskflow:redpandaUsername"):
        _load(values)


def test_load_config_marks_secrets_secret() -> None:
    apply_config(_config("oke"))
    cfg = load_config()
    assert cfg.secrets.database_url is not None
    # Reading config returns Outputs; secretness is checked end to end in test_program.
    assert cfg.secrets.jwt_secret is not None
