"""Dapr pub/sub over the sidecar's HTTP API; the same CloudEvent bytes as on Kafka."""

import logging

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from app.core.config import Settings
from app.events.transport import Message, TransientPublishError

logger = logging.getLogger(__name__)
CLOUDEVENTS_JSON = "application/cloudevents+json"


class DaprError(Exception):
    """The sidecar refused the request (4xx); retrying will not help."""


class _Transient(Exception):
    pass


class DaprPublisher:
    def __init__(
        self, settings: Settings, *, attempts: int = 4, client: httpx.AsyncClient | None = None
    ) -> None:
        self._base = f"http://127.0.0.1:{settings.dapr_http_port}/v1.0"
        self._pubsub = settings.dapr_pubsub_name
        self._attempts = attempts
        self._client = client or httpx.AsyncClient(timeout=5.0)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self._client.aclose()

    async def _post(self, message: Message) -> None:
        url = f"{self._base}/publish/{self._pubsub}/{message.topic}"
        params = {"metadata.partitionKey": message.key} if message.key else None
        headers = {"Content-Type": CLOUDEVENTS_JSON, **message.headers}
        try:
            response = await self._client.post(
                url, content=message.value, params=params, headers=headers
            )
        except httpx.TransportError as exc:
            raise _Transient(f"sidecar unreachable: {exc}") from exc
        if response.status_code >= 500:
            raise _Transient(f"sidecar answered {response.status_code}: {response.text}")
        if response.status_code >= 400:
            logger.error("dapr refused publish to %s: %s", message.topic, response.text)
            raise DaprError(f"dapr refused publish ({response.status_code}): {response.text}")

    async def publish(self, messages: list[Message]) -> None:
        for message in messages:
            try:
                async for attempt in AsyncRetrying(
                    retry=retry_if_exception_type(_Transient),
                    stop=stop_after_attempt(self._attempts),
                    wait=wait_exponential(multiplier=0.1, max=2),
                    reraise=True,
                ):
                    with attempt:
                        await self._post(message)
            except _Transient as exc:
                raise TransientPublishError(str(exc)) from exc
