"""Typed, validated stack configuration read from `pulumi config`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast, get_args

import pulumi

NAMESPACE = "taskflow"

Target = Literal["minikube", "oke", "aks", "gke"]
Environment = Literal["local", "staging", "production"]
TlsIssuer = Literal["letsencrypt-prod", "letsencrypt-staging", "selfsigned"]
PubsubKind = Literal["kafka", "redis"]
KafkaMode = Literal["strimzi", "redpanda"]
SecretStoreKind = Literal["kubernetes", "oci-vault", "azure-keyvault"]
MonitoringProfile = Literal["small", "standard"]

_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DURATION = re.compile(r"^[0-9]+[hdw]$")


class ConfigError(ValueError):
    """A config key is missing or holds a value the program cannot use."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{NAMESPACE}:{key} {problem}")
        self.key = key


@dataclass(frozen=True, kw_only=True)
class AppSecrets:
    jwt_secret: pulumi.Output[str]
    database_url: pulumi.Output[str] | None
    postgres_password: pulumi.Output[str] | None
    openai_api_key: pulumi.Output[str] | None
    kafka_sasl_username: pulumi.Output[str] | None
    kafka_sasl_password: pulumi.Output[str] | None
    redis_password: pulumi.Output[str] | None


@dataclass(frozen=True, kw_only=True)
class MessagingConfig:
    pubsub_kind: PubsubKind
    kafka_mode: KafkaMode
    kafka_partitions: int
    kafka_replicas: int
    redpanda_bootstrap_servers: str
    redis_host: str


@dataclass(frozen=True, kw_only=True)
class ObservabilityConfig:
    prometheus_retention: str
    loki_retention: str
    tracing_sampling_rate: float
    monitoring_profile: MonitoringProfile


@dataclass(frozen=True, kw_only=True)
class OkeConfig:
    compartment_id: str
    availability_domain: str
    node_image_id: str
    kubernetes_version: str
    node_count: int
    node_ocpus: float
    node_memory_gbs: float
    region: str
    vault_id: str
    vault_key_id: str
    # Bandwidth of the flexible load balancer in front of the ingress; 10 is Always Free.
    load_balancer_mbps: int


@dataclass(frozen=True, kw_only=True)
class AksConfig:
    location: str
    node_size: str
    node_count: int
    kubernetes_version: str
    key_vault_name: str
    key_vault_client_id: str
    key_vault_resource_group: str


@dataclass(frozen=True, kw_only=True)
class GkeConfig:
    project: str
    location: str
    machine_type: str
    node_count: int


@dataclass(frozen=True, kw_only=True)
class StackConfig:
    target: Target
    environment: Environment
    image_registry: str
    image_tag: str
    host: str
    tls_issuer: TlsIssuer
    acme_email: str
    kube_context: str
    postgres_in_cluster: bool
    secret_store: SecretStoreKind
    openai_model: str
    messaging: MessagingConfig
    observability: ObservabilityConfig
    secrets: AppSecrets
    oke: OkeConfig | None
    aks: AksConfig | None
    gke: GkeConfig | None


class _Reader:
    """Reads keys of the `taskflow` namespace, raising ConfigError that names the key."""

    def __init__(self, config: pulumi.Config) -> None:
        self._config = config

    def text(self, key: str, default: str | None = None) -> str:
        value = self._config.get(key)
        if value is None or value == "":
            if default is None:
                raise ConfigError(key, f"is required (pulumi config set {NAMESPACE}:{key} ...)")
            return default
        return value

    def choice(self, key: str, allowed: object, default: str | None = None) -> str:
        """`allowed` is a Literal alias; the caller casts the checked value back to it."""
        options: tuple[str, ...] = get_args(allowed)
        value = self.text(key, default)
        if value not in options:
            raise ConfigError(key, f"must be one of {', '.join(options)}, got {value!r}")
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        raw = self.text(key, str(default))
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(key, f"must be an integer, got {raw!r}") from None
        if not low <= value <= high:
            raise ConfigError(key, f"must be between {low} and {high}, got {value}")
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        raw = self.text(key, str(default))
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(key, f"must be a number, got {raw!r}") from None
        if not low <= value <= high:
            raise ConfigError(key, f"must be between {low} and {high}, got {value}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        raw = self.text(key, str(default).lower()).lower()
        if raw not in ("true", "false"):
            raise ConfigError(key, f"must be true or false, got {raw!r}")
        return raw == "true"

    def duration(self, key: str, default: str) -> str:
        value = self.text(key, default)
        if not _DURATION.match(value):
            raise ConfigError(key, f"must look like 72h, 15d or 2w, got {value!r}")
        return value

    def secret(self, key: str) -> pulumi.Output[str] | None:
        if self._config.get(key) in (None, ""):
            return None
        return self._config.require_secret(key)

    def required_secret(self, key: str) -> pulumi.Output[str]:
        value = self.secret(key)
        if value is None:
            raise ConfigError(
                key, f"is required (pulumi config set --secret {NAMESPACE}:{key} ...)"
            )
        return value


def load_config(config: pulumi.Config | None = None) -> StackConfig:
    """Reads and validates the stack's config; raises ConfigError naming the first bad key."""
    read = _Reader(config or pulumi.Config(NAMESPACE))
    target = cast(Target, read.choice("target", Target))
    image_tag = read.text("imageTag")
    if image_tag == "latest" or not _TAG.match(image_tag):
        raise ConfigError(
            "imageTag", f"must be an immutable tag such as the git SHA, got {image_tag!r}"
        )
    tls_issuer = cast(TlsIssuer, read.choice("tlsIssuer", TlsIssuer, "letsencrypt-prod"))
    acme_email = read.text("acmeEmail", "")
    if tls_issuer != "selfsigned" and "@" not in acme_email:
        raise ConfigError("acmeEmail", "must be an e-mail address when tlsIssuer is Let's Encrypt")
    messaging = _messaging(read)
    postgres_in_cluster = read.boolean("postgresInCluster", False)
    secret_store = cast(SecretStoreKind, read.choice("secretStore", SecretStoreKind, "kubernetes"))
    return StackConfig(
        target=target,
        environment=cast(Environment, read.choice("environment", Environment, "local")),
        image_registry=read.text("imageRegistry", "ghcr.io/taskflow"),
        image_tag=image_tag,
        host=read.text("host"),
        tls_issuer=tls_issuer,
        acme_email=acme_email,
        kube_context=read.text("kubeContext", "minikube" if target == "minikube" else ""),
        postgres_in_cluster=postgres_in_cluster,
        secret_store=secret_store,
        openai_model=read.text("openaiModel", "gpt-4o-mini"),
        messaging=messaging,
        observability=ObservabilityConfig(
            prometheus_retention=read.duration("prometheusRetention", "15d"),
            loki_retention=read.duration("lokiRetention", "72h"),
            tracing_sampling_rate=read.number("tracingSamplingRate", 1.0, 0.0, 1.0),
            monitoring_profile=cast(
                MonitoringProfile, read.choice("monitoringProfile", MonitoringProfile, "small")
            ),
        ),
        secrets=_secrets(read, messaging, postgres_in_cluster),
        oke=_oke(read, secret_store) if target == "oke" else None,
        aks=_aks(read, secret_store) if target == "aks" else None,
        gke=_gke(read) if target == "gke" else None,
    )


def _messaging(read: _Reader) -> MessagingConfig:
    kafka_mode = cast(KafkaMode, read.choice("kafkaMode", KafkaMode, "strimzi"))
    pubsub_kind = cast(PubsubKind, read.choice("pubsubKind", PubsubKind, "kafka"))
    return MessagingConfig(
        pubsub_kind=pubsub_kind,
        kafka_mode=kafka_mode,
        kafka_partitions=read.integer("kafkaPartitions", 1, 1, 12),
        kafka_replicas=read.integer("kafkaReplicas", 1, 1, 3),
        redpanda_bootstrap_servers=(
            read.text("redpandaBootstrapServers") if kafka_mode == "redpanda" else ""
        ),
        redis_host=read.text("redisHost") if pubsub_kind == "redis" else "",
    )


def _secrets(read: _Reader, messaging: MessagingConfig, in_cluster: bool) -> AppSecrets:
    sasl = messaging.pubsub_kind == "kafka" and messaging.kafka_mode == "redpanda"
    return AppSecrets(
        jwt_secret=read.required_secret("jwtSecret"),
        database_url=None if in_cluster else read.required_secret("databaseUrl"),
        postgres_password=read.required_secret("postgresPassword") if in_cluster else None,
        openai_api_key=read.secret("openaiApiKey"),
        kafka_sasl_username=read.required_secret("redpandaUsername") if sasl else None,
        kafka_sasl_password=read.required_secret("redpandaPassword") if sasl else None,
        redis_password=read.secret("redisPassword"),
    )


def _oke(read: _Reader, secret_store: SecretStoreKind) -> OkeConfig:
    vault = secret_store == "oci-vault"
    return OkeConfig(
        compartment_id=read.text("ociCompartmentId"),
        availability_domain=read.text("ociAvailabilityDomain"),
        node_image_id=read.text("ociNodeImageId"),
        kubernetes_version=read.text("kubernetesVersion", "v1.33.1"),
        node_count=read.integer("nodeCount", 2, 1, 4),
        node_ocpus=read.number("ociNodeOcpus", 2, 1, 4),
        node_memory_gbs=read.number("ociNodeMemoryGbs", 12, 6, 24),
        region=read.text("ociRegion"),
        vault_id=read.text("ociVaultId") if vault else "",
        vault_key_id=read.text("ociVaultKeyId") if vault else "",
        load_balancer_mbps=read.integer("ociLoadBalancerMbps", 10, 10, 8000),
    )


def _aks(read: _Reader, secret_store: SecretStoreKind) -> AksConfig:
    vault = secret_store == "azure-keyvault"
    return AksConfig(
        location=read.text("azureLocation"),
        node_size=read.text("aksNodeSize", "Standard_B2ms"),
        node_count=read.integer("nodeCount", 2, 1, 4),
        kubernetes_version=read.text("kubernetesVersion", "1.33"),
        key_vault_name=read.text("azureKeyVaultName") if vault else "",
        key_vault_client_id=read.text("azureKeyVaultClientId") if vault else "",
        key_vault_resource_group=read.text("azureKeyVaultResourceGroup") if vault else "",
    )


def _gke(read: _Reader) -> GkeConfig:
    return GkeConfig(
        project=read.text("gcpProject"),
        location=read.text("gcpLocation"),
        machine_type=read.text("gkeMachineType", "e2-standard-2"),
        node_count=read.integer("nodeCount", 2, 1, 4),
    )
