"""Typed settings, read once from the environment (and an optional .env file)."""

from __future__ import annotations

from typing import Literal, Self

from limits import parse as parse_rate
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Long enough for HS256, and refused outside ENVIRONMENT=local.
PLACEHOLDER_SECRET = "changethis-local-development-only-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_ignore_empty=True, extra="ignore")

    environment: Literal["local", "staging", "production"] = "local"
    service_name: str = "api"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"

    database_url: str = "sqlite:///./taskflow.db"
    db_echo: bool = False

    jwt_secret: str = PLACEHOLDER_SECRET
    jwt_algorithm: Literal["HS256"] = "HS256"
    access_token_expire_minutes: int = Field(default=24 * 60, ge=1)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_seconds: int = Field(default=300, ge=1)
    # Log-ins and sign-ups per client address (moving window, `limits` notation).
    auth_rate_limit: str = "20/minute"
    # Dapr's APP_API_TOKEN: the only caller allowed to POST /reminder-check (unset: nobody).
    app_api_token: str | None = None
    # Whether this process serves /docs + /openapi.json and /metrics.
    expose_docs: bool = True
    expose_metrics: bool = True

    cors_origins: list[str] = ["http://localhost:5173", "http://127.0.0.1:5173"]

    # Events: the embedded bus by default; Kafka or a Dapr sidecar in a cluster.
    event_transport: Literal["inprocess", "kafka", "dapr"] = "inprocess"
    use_dapr: bool = False
    # Where the outbox relay runs: inside each API process ("api"; the embedded transport
    # always), or as its own `taskflow relay` service ("service"; PostgreSQL and a broker),
    # out of the way of request threads. An advisory lock elects one publisher either way.
    outbox_relay: Literal["api", "service"] = "api"
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    outbox_batch_size: int = Field(default=200, ge=1)
    consumer_max_attempts: int = Field(default=3, ge=1)
    dedup_window: int = Field(default=10_000, ge=1)
    reminder_check_seconds: float = Field(default=30.0, gt=0)
    # A consumer with lag that has made no progress for this long reports itself unhealthy.
    consumer_stall_seconds: float = Field(default=120.0, gt=0)

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: str | None = None
    kafka_topic_partitions: int = Field(default=1, ge=1)
    kafka_topic_replication: int = Field(default=1, ge=1)
    kafka_topic_retention_ms: int = Field(default=7 * 24 * 3600 * 1000, ge=60_000)

    dapr_http_port: int = Field(default=3500, ge=1, le=65535)
    dapr_pubsub_name: str = "pubsub"
    dapr_state_store: str = "statestore"
    dapr_secret_store: str = "secretstore"

    # Tracing: 100% locally, lower in production (OTEL_TRACES_SAMPLER_ARG=0.1).
    otel_exporter_otlp_endpoint: str | None = None
    otel_traces_sampler_arg: float = Field(default=1.0, ge=0, le=1)

    # Audit archive: any S3-compatible store (OCI Object Storage speaks the S3 API).
    archive_bucket: str | None = None
    archive_endpoint_url: str | None = None
    archive_region: str = "us-east-1"
    archive_after_days: int = Field(default=90, ge=1)

    # Chat: the model-backed agent when a key is set (any OpenAI-compatible endpoint).
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"

    @model_validator(mode="after")
    def _reject_placeholder_secrets(self) -> Self:
        # A forgotten default secret must never reach a shared environment.
        if self.environment != "local" and (
            self.jwt_secret.startswith("changethis") or len(self.jwt_secret) < 32
        ):
            raise ValueError(
                "JWT_SECRET must be set to a random value of at least 32 characters "
                f"when ENVIRONMENT={self.environment}"
            )
        return self

    @field_validator("auth_rate_limit")
    @classmethod
    def _valid_rate(cls, value: str) -> str:
        parse_rate(value)  # raises ValueError with the expected notation
        return value

    @model_validator(mode="after")
    def _use_dapr_means_dapr(self) -> Self:
        # USE_DAPR=true is the switch the cluster manifests set.
        if self.use_dapr:
            self.event_transport = "dapr"
        return self
