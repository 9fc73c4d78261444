"""Typed settings, read once from the environment (and an optional .env file)."""

from functools import lru_cache
from typing import Literal, Self

from pydantic import Field, model_validator
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

    cors_origins: list[str] = ["http://localhost:5173", "http://127.0.0.1:5173"]

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

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
