"""Dapr pub/sub as a Taskflow Publisher: the same CloudEvent bytes as on Kafka."""

from __future__ import annotations

import httpx

from app.core.config import Settings
from app.events.transport import Message, TransientPublishError
from app.transports.dapr.client import DaprClient, DaprUnavailable


class DaprPublisher:
    def __init__(
        self, settings: Settings, *, attempts: int = 4, client: httpx.AsyncClient | None = None
    ) -> None:
        self._pubsub = settings.dapr_pubsub_name
        self._dapr = DaprClient.from_settings(settings, attempts=attempts, client=client)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self._dapr.aclose()

    async def publish(self, messages: list[Message]) -> None:
        for message in messages:
            try:
                await self._dapr.publish(
                    self._pubsub,
                    message.topic,
                    message.value,
                    metadata={"partitionKey": message.key} if message.key else None,
                    headers=message.headers,
                )
            except DaprUnavailable as exc:
                raise TransientPublishError(str(exc)) from exc
