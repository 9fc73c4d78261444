"""Dapr Component and Configuration manifests as plain dicts.

Written once and used twice: the Pulumi program wraps them in Kubernetes custom
resources, and local runs dump them as YAML into a daprd `--resources-path`. Nothing
here imports Pulumi, so values are plain strings; secrets are only ever referenced
through `secretKeyRef`, never inlined.
"""

from __future__ import annotations

from typing import Any, Literal

from infra.contracts import (
    DAPR_PUBSUB,
    DAPR_REMINDER_BINDING,
    DAPR_RESILIENCY,
    DAPR_SECRET_STORE,
    DAPR_STATE_STORE,
)

API_VERSION = "dapr.io/v1alpha1"
# The names the app looks the components up by (app/contracts.py): one definition.
PUBSUB = DAPR_PUBSUB
STATESTORE = DAPR_STATE_STORE
SECRETSTORE = DAPR_SECRET_STORE
REMINDER_BINDING = DAPR_REMINDER_BINDING
RESILIENCY = DAPR_RESILIENCY
CONFIGURATION = "taskflow-config"

# Secret names (and keys) in whichever secret store backs the components.
STATE_CONNECTION_KEY = "state-connection-string"
KAFKA_USERNAME_KEY = "kafka-sasl-username"
KAFKA_PASSWORD_KEY = "kafka-sasl-password"
REDIS_PASSWORD_KEY = "redis-password"

Manifest = dict[str, Any]
SecretStoreKind = Literal["kubernetes", "oci-vault", "azure-keyvault", "local-file", "local-env"]


def _meta(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value}


def _secret_ref(name: str, key: str) -> dict[str, Any]:
    # Every store kind holds one value per secret name, so the secret and its key share a name.
    return {"name": name, "secretKeyRef": {"name": key, "key": key}}


def component(
    name: str,
    component_type: str,
    metadata: list[dict[str, Any]],
    *,
    namespace: str | None = None,
    scopes: list[str] | None = None,
    secret_store: str | None = None,
) -> Manifest:
    """A Dapr Component manifest; `secret_store` names the store its secretKeyRefs read."""
    meta: dict[str, str] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    manifest: Manifest = {
        "apiVersion": API_VERSION,
        "kind": "Component",
        "metadata": meta,
        "spec": {"type": component_type, "version": "v1", "metadata": metadata},
    }
    if secret_store:
        manifest["auth"] = {"secretStore": secret_store}
    if scopes:
        manifest["scopes"] = list(scopes)
    return manifest


def kafka_pubsub(
    *,
    brokers: str,
    sasl: bool,
    namespace: str | None = None,
    scopes: list[str] | None = None,
    secret_store: str | None = SECRETSTORE,
) -> Manifest:
    """pubsub.kafka; plaintext without auth in-cluster, SASL/SCRAM over TLS for a hosted broker."""
    metadata: list[dict[str, Any]] = [
        _meta("brokers", brokers),
        # Dapr substitutes {appID}, so each service is its own consumer group.
        _meta("consumerGroup", "{appID}"),
        _meta("clientID", "{appID}"),
        _meta("initialOffset", "oldest"),
        _meta("maxMessageBytes", "1048576"),
    ]
    if sasl:
        metadata += [
            _meta("authType", "password"),
            _secret_ref("saslUsername", KAFKA_USERNAME_KEY),
            _secret_ref("saslPassword", KAFKA_PASSWORD_KEY),
            _meta("saslMechanism", "SCRAM-SHA-256"),
            _meta("disableTls", "false"),
        ]
    else:
        metadata += [_meta("authType", "none"), _meta("disableTls", "true")]
    return component(
        PUBSUB,
        "pubsub.kafka",
        metadata,
        namespace=namespace,
        scopes=scopes,
        secret_store=secret_store if sasl else None,
    )


def redis_pubsub(
    *,
    host: str,
    with_password: bool,
    namespace: str | None = None,
    scopes: list[str] | None = None,
    secret_store: str | None = SECRETSTORE,
) -> Manifest:
    """pubsub.redis under the same component name, so the app needs no change to switch."""
    metadata: list[dict[str, Any]] = [
        _meta("redisHost", host),
        _meta("consumerID", "{appID}"),
    ]
    if with_password:
        metadata.append(_secret_ref("redisPassword", REDIS_PASSWORD_KEY))
    return component(
        PUBSUB,
        "pubsub.redis",
        metadata,
        namespace=namespace,
        scopes=scopes,
        secret_store=secret_store if with_password else None,
    )


def pubsub_component(
    kind: Literal["kafka", "redis"],
    *,
    address: str,
    authenticated: bool,
    namespace: str | None = None,
    scopes: list[str] | None = None,
    secret_store: str | None = SECRETSTORE,
) -> Manifest:
    """The `pubsub` component for the chosen broker kind."""
    if kind == "kafka":
        return kafka_pubsub(
            brokers=address,
            sasl=authenticated,
            namespace=namespace,
            scopes=scopes,
            secret_store=secret_store,
        )
    return redis_pubsub(
        host=address,
        with_password=authenticated,
        namespace=namespace,
        scopes=scopes,
        secret_store=secret_store,
    )


def state_component(
    kind: Literal["postgresql", "redis"] = "postgresql",
    *,
    address: str | None = None,
    authenticated: bool = False,
    namespace: str | None = None,
    scopes: list[str] | None = None,
    secret_store: str = SECRETSTORE,
) -> Manifest:
    """The `statestore` component (chat conversations in Dapr mode).

    state.postgresql: the connection string only ever comes from the secret store.
    state.redis: `address` is host:port; the password, if any, from the secret store.
    """
    if kind == "redis":
        if not address:
            raise ValueError("state.redis needs address (host:port)")
        metadata: list[dict[str, Any]] = [_meta("redisHost", address)]
        if authenticated:
            metadata.append(_secret_ref("redisPassword", REDIS_PASSWORD_KEY))
        return component(
            STATESTORE,
            "state.redis",
            metadata,
            namespace=namespace,
            scopes=scopes,
            secret_store=secret_store if authenticated else None,
        )
    return component(
        STATESTORE,
        "state.postgresql",
        [
            _secret_ref("connectionString", STATE_CONNECTION_KEY),
            _meta("tableName", "dapr_state"),
            _meta("timeout", "20s"),
        ],
        namespace=namespace,
        scopes=scopes,
        secret_store=secret_store,
    )


def pubsub_resiliency(
    *,
    max_retries: int = 5,
    retry_interval: str | None = None,
    max_interval: str = "30s",
    namespace: str | None = None,
    scopes: list[str] | None = None,
) -> Manifest:
    """Inbound pub/sub retries: a subscriber's RETRY is redelivered by the sidecar up to
    `max_retries` times (exponential backoff, or every `retry_interval`), then the message
    goes to the subscription's dead-letter topic. Without it Dapr sends a RETRY straight to
    the dead-letter topic when one is set."""
    retry: dict[str, Any] = (
        {"policy": "constant", "duration": retry_interval, "maxRetries": max_retries}
        if retry_interval
        else {"policy": "exponential", "maxInterval": max_interval, "maxRetries": max_retries}
    )
    meta: dict[str, str] = {"name": RESILIENCY}
    if namespace:
        meta["namespace"] = namespace
    manifest: Manifest = {
        "apiVersion": API_VERSION,
        "kind": "Resiliency",
        "metadata": meta,
        "spec": {
            "policies": {"retries": {"pubsubRedelivery": retry}},
            "targets": {"components": {PUBSUB: {"inbound": {"retry": "pubsubRedelivery"}}}},
        },
    }
    if scopes:
        manifest["scopes"] = list(scopes)
    return manifest


def reminder_binding(
    *, namespace: str | None = None, scopes: list[str] | None = None, schedule: str = "@every 1m"
) -> Manifest:
    """bindings.cron; Dapr POSTs to /reminder-check on the scoped app at each tick."""
    return component(
        REMINDER_BINDING,
        "bindings.cron",
        [_meta("schedule", schedule), _meta("direction", "input")],
        namespace=namespace,
        scopes=scopes,
    )


def secretstore_component(
    kind: SecretStoreKind,
    *,
    namespace: str | None = None,
    options: dict[str, str] | None = None,
) -> Manifest:
    """The `secretstore` component: Kubernetes Secrets locally, a cloud vault in cloud stacks.

    `options` carries the store's non-secret settings (vault ids, region, file path).
    """
    opts = dict(options or {})
    if kind == "kubernetes":
        return component(SECRETSTORE, "secretstores.kubernetes", [], namespace=namespace)
    if kind == "oci-vault":
        # Instance principals: the node pool's identity reads the vault, no key in the cluster.
        metadata = [_meta("instancePrincipalAuthentication", "true")]
        metadata += [
            _meta(k, _require(opts, k, kind)) for k in ("region", "compartment", "vaultOCID")
        ]
        return component(SECRETSTORE, "secretstores.oci.vault", metadata, namespace=namespace)
    if kind == "azure-keyvault":
        metadata = [_meta(k, _require(opts, k, kind)) for k in ("vaultName", "azureClientId")]
        return component(SECRETSTORE, "secretstores.azure.keyvault", metadata, namespace=namespace)
    if kind == "local-env":
        # Secrets are the sidecar's environment variables (optionally only those with `prefix`).
        metadata = [_meta("prefix", opts["prefix"])] if opts.get("prefix") else []
        return component(SECRETSTORE, "secretstores.local.env", metadata, namespace=namespace)
    metadata = [
        _meta("secretsFile", _require(opts, "secretsFile", kind)),
        _meta("nestedSeparator", ":"),
    ]
    return component(SECRETSTORE, "secretstores.local.file", metadata, namespace=namespace)


def tracing_configuration(
    *,
    sampling_rate: float,
    otlp_endpoint: str,
    namespace: str | None = None,
) -> Manifest:
    """The app's Dapr Configuration: tracing to the OTLP collector, metrics on."""
    meta: dict[str, str] = {"name": CONFIGURATION}
    if namespace:
        meta["namespace"] = namespace
    return {
        "apiVersion": API_VERSION,
        "kind": "Configuration",
        "metadata": meta,
        "spec": {
            "tracing": {
                "samplingRate": _rate(sampling_rate),
                "otel": {"endpointAddress": otlp_endpoint, "isSecure": False, "protocol": "grpc"},
            },
            "metric": {"enabled": True},
        },
    }


def _rate(value: float) -> str:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"sampling rate must be within [0, 1], got {value}")
    return f"{value:g}"


def _require(options: dict[str, str], key: str, kind: str) -> str:
    value = options.get(key, "")
    if not value:
        raise ValueError(f"secret store {kind!r} needs option {key!r}")
    return value
