"""Parking failed messages with their error context, per transport."""

import logging
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.events.schemas import dlq_topic
from app.events.transport import Message, Publisher
from app.models.consumer_state import DeadLetter

logger = logging.getLogger(__name__)


class DeadLetterRecord(BaseModel):
    """What a -dlq topic holds: the original message and why it failed."""

    consumer: str
    source_topic: str
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    event_id: str | None = None
    payload: str
    headers: dict[str, str] = Field(default_factory=dict)
    error: str
    traceback: str = ""
    attempts: int
    failed_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    def replay_message(self) -> Message:
        return Message(
            topic=self.source_topic, key=self.key, value=self.payload.encode(), headers=self.headers
        )


class DeadLetterSink(Protocol):
    async def park(self, record: DeadLetterRecord) -> None: ...


class PublishingDeadLetterSink:
    """Kafka and Dapr: the record goes to the `{topic}-dlq` topic through the same transport."""

    def __init__(self, publisher: Publisher) -> None:
        self._publisher = publisher

    async def park(self, record: DeadLetterRecord) -> None:
        value = record.model_dump_json().encode()
        await self._publisher.publish(
            [Message(topic=dlq_topic(record.source_topic), key=record.key, value=value)]
        )


class DatabaseDeadLetterSink:
    """Dead letters in a table: listed and replayed by `taskflow dlq` on every transport."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def park(self, record: DeadLetterRecord) -> None:
        with Session(self._engine) as session:
            session.add(
                DeadLetter(
                    topic=dlq_topic(record.source_topic),
                    consumer=record.consumer,
                    key=record.key,
                    payload=record.model_dump_json(),
                    error=record.error[:10_000],
                )
            )
            session.commit()


class BrokerAndDatabaseSink:
    """Kafka and Dapr: the `{topic}-dlq` topic is the record of truth; the table copy feeds
    `taskflow dlq` and the depth metric, and is best-effort (the database may be what failed)."""

    def __init__(self, publisher: Publisher, engine: Engine) -> None:
        self._topic = PublishingDeadLetterSink(publisher)
        self._table = DatabaseDeadLetterSink(engine)

    async def park(self, record: DeadLetterRecord) -> None:
        await self._topic.park(record)
        try:
            await self._table.park(record)
        except Exception:
            logger.warning("dead letter not copied to the database", exc_info=True)
