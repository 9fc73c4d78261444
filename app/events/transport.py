"""What every transport (embedded, Kafka, Dapr) agrees on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, kw_only=True)
class Message:
    topic: str
    key: str | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)
    partition: int | None = None
    offset: int | None = None


class TransientPublishError(Exception):
    """The broker or sidecar is unavailable; the relay backs off and tries again."""


class TransientError(Exception):
    """The database or the broker is away: the message is not poison. The transport hands it
    again later (Kafka rewinds without committing, Dapr answers RETRY); it is never parked."""


class Publisher(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, messages: list[Message]) -> None:
        """Publishes in order; raises TransientPublishError if any could not be sent."""
        ...


HEADER_EVENT_ID = "event_id"
HEADER_CORRELATION_ID = "correlation_id"
