"""Secrets from the Dapr secret store.

Secret names are kebab-case (valid in every store: Kubernetes, OCI Vault, Azure Key Vault, a
local file). Outside Dapr mode the same values come from the environment (DATABASE_URL).
"""

from __future__ import annotations

import asyncio
import logging

from app.core.config import Settings
from app.transports.dapr.client import DaprClient

logger = logging.getLogger(__name__)

DATABASE_URL_SECRET = "database-url"


def with_secrets(settings: Settings, *, within: float = 60.0) -> Settings:
    """Before anything starts: a DATABASE_URL not set in the environment comes from the
    secret store (waiting for the sidecar's outbound health first)."""
    if "database_url" in settings.model_fields_set:
        return settings

    async def read() -> str:
        async with DaprClient.from_settings(settings) as dapr:
            await dapr.wait_ready(within=within, outbound=True)
            return await dapr.get_secret(settings.dapr_secret_store, DATABASE_URL_SECRET)

    url = asyncio.run(read())
    logger.info("DATABASE_URL read from Dapr secret store %s", settings.dapr_secret_store)
    return settings.model_copy(update={"database_url": url}) if url else settings
