"""Mapping shared by every target: platform and app Args from the validated config."""

from __future__ import annotations

import re
from typing import Literal

import pulumi

from infra.config import StackConfig
from infra.contracts import APP_NAMESPACE
from infra.dapr import components
from infra.plan import ClusterArgs, StackPlan
from infra.platform_services import postgres
from infra.platform_services.dapr import DaprControlPlaneArgs
from infra.platform_services.ingress import EdgeArgs
from infra.platform_services.observability import OTLP_GRPC_ENDPOINT, ObservabilityArgs
from infra.platform_services.strimzi import StrimziKafka, StrimziKafkaArgs
from infra.workloads.dapr_resources import DaprResourcesArgs
from infra.workloads.pod import PodSettings
from infra.workloads.secrets import (
    APP_SECRET,
    AppSecretsArgs,
    AzureVaultTarget,
    OciVaultTarget,
)
from infra.workloads.taskflow import TaskflowAppArgs

_SQLALCHEMY_DRIVER = re.compile(r"^postgresql\+\w+://")


def pgx_url(database_url: pulumi.Output[str]) -> pulumi.Output[str]:
    """Dapr's pgx driver takes the same URL without SQLAlchemy's `+driver` suffix."""
    return database_url.apply(lambda url: _SQLALCHEMY_DRIVER.sub("postgresql://", url))


def build_plan(
    cfg: StackConfig,
    *,
    cluster: ClusterArgs,
    service_type: Literal["LoadBalancer", "NodePort"],
    persistent_kafka: bool,
    protect_state: bool = False,
    edge_service_annotations: dict[str, str] | None = None,
    secret_store_options: dict[str, str] | None = None,
    vault: OciVaultTarget | AzureVaultTarget | None = None,
) -> StackPlan:
    msg = cfg.messaging
    strimzi = msg.pubsub_kind == "kafka" and msg.kafka_mode == "strimzi"
    kafka = (
        StrimziKafkaArgs(
            partitions=msg.kafka_partitions,
            replicas=msg.kafka_replicas,
            persistent=persistent_kafka,
            protect=protect_state,
        )
        if strimzi
        else None
    )
    secrets = cfg.secrets
    pg = (
        postgres.InClusterPostgresArgs(password=secrets.postgres_password, protect=protect_state)
        if cfg.postgres_in_cluster and secrets.postgres_password is not None
        else None
    )
    if pg is not None:
        database_url = postgres.database_url(pg.password)
        state_connection = postgres.state_connection_string(pg.password)
    elif secrets.database_url is not None:
        database_url = secrets.database_url
        state_connection = pgx_url(secrets.database_url)
    else:
        raise ValueError("taskflow:databaseUrl is required when postgresInCluster is false")

    env: dict[str, pulumi.Input[str]] = {
        "DATABASE_URL": database_url,
        "JWT_SECRET": secrets.jwt_secret,
    }
    if secrets.openai_api_key is not None:
        env["OPENAI_API_KEY"] = secrets.openai_api_key
    dapr_secrets: dict[str, pulumi.Input[str]] = {components.STATE_CONNECTION_KEY: state_connection}
    if secrets.kafka_sasl_username is not None and secrets.kafka_sasl_password is not None:
        dapr_secrets[components.KAFKA_USERNAME_KEY] = secrets.kafka_sasl_username
        dapr_secrets[components.KAFKA_PASSWORD_KEY] = secrets.kafka_sasl_password
    if secrets.redis_password is not None:
        dapr_secrets[components.REDIS_PASSWORD_KEY] = secrets.redis_password

    if msg.pubsub_kind == "redis":
        address, authenticated = msg.redis_host, secrets.redis_password is not None
    elif strimzi:
        address, authenticated = StrimziKafka.bootstrap_address(), False
    else:
        address, authenticated = msg.redpanda_bootstrap_servers, True

    obs = cfg.observability
    return StackPlan(
        cluster=cluster,
        edge=EdgeArgs(
            issuer=cfg.tls_issuer,
            acme_email=cfg.acme_email,
            service_type=service_type,
            service_annotations=edge_service_annotations or {},
        ),
        dapr=DaprControlPlaneArgs(high_availability=False),
        observability=ObservabilityArgs(
            prometheus_retention=obs.prometheus_retention,
            loki_retention=obs.loki_retention,
            profile=obs.monitoring_profile,
        ),
        kafka=kafka,
        postgres=pg,
        app=TaskflowAppArgs(
            namespace=APP_NAMESPACE,
            host=cfg.host,
            issuer=cfg.tls_issuer,
            pod=PodSettings(
                image_registry=cfg.image_registry,
                image_tag=cfg.image_tag,
                environment=cfg.environment,
                app_secret=APP_SECRET,
                otlp_endpoint=OTLP_GRPC_ENDPOINT,
                sampling_rate=obs.tracing_sampling_rate,
                openai_model=cfg.openai_model,
            ),
            secrets=AppSecretsArgs(
                namespace=APP_NAMESPACE, env=env, dapr=dapr_secrets, vault=vault
            ),
            dapr=DaprResourcesArgs(
                namespace=APP_NAMESPACE,
                pubsub_kind=msg.pubsub_kind,
                pubsub_address=address,
                pubsub_authenticated=authenticated,
                secret_store=cfg.secret_store,
                secret_store_options=secret_store_options or {},
                sampling_rate=obs.tracing_sampling_rate,
                otlp_endpoint=OTLP_GRPC_ENDPOINT,
            ),
        ),
    )
