"""Secrets: from the Dapr secret store in Dapr mode, from the environment otherwise.

Secret names are kebab-case (valid in every store: Kubernetes, OCI Vault, Azure Key
Vault, a local file); the environment fallback reads the same name upper-cased with
underscores, so `database-url` is DATABASE_URL.
"""

import asyncio
import logging
import os

from app.core.config import Settings
from app.dapr.client import DaprClient

logger = logging.getLogger(__name__)

DATABASE_URL_SECRET = "database-url"


def env_name(secret: str) -> str:
    return secret.upper().replace("-", "_").replace(".", "_")


async def get_secret(
    settings: Settings, name: str, *, dapr: DaprClient | None = None
) -> str | None:
    """The secret's value; None when Dapr is off and the variable is unset."""
    if settings.event_transport != "dapr":
        return os.environ.get(env_name(name))
    if dapr is not None:
        return await dapr.get_secret(settings.dapr_secret_store, name)
    async with DaprClient.from_settings(settings) as client:
        return await client.get_secret(settings.dapr_secret_store, name)


def with_secrets(settings: Settings, *, within: float = 60.0) -> Settings:
    """Before anything starts: in Dapr mode, a DATABASE_URL not set in the environment comes
    from the secret store (waiting for the sidecar's outbound health first)."""
    if settings.event_transport != "dapr" or "database_url" in settings.model_fields_set:
        return settings

    async def read() -> str | None:
        async with DaprClient.from_settings(settings) as dapr:
            await dapr.wait_ready(within=within, outbound=True)
            return await get_secret(settings, DATABASE_URL_SECRET, dapr=dapr)

    url = asyncio.run(read())
    logger.info("DATABASE_URL read from Dapr secret store %s", settings.dapr_secret_store)
    return settings.model_copy(update={"database_url": url}) if url else settings
