"""Dead letters: the record a consumer parks, the sinks that keep it, and listing and replay.

Replay goes through the outbox, so it works the same on every transport and the relay keeps
per-user order. Which sink a consumer gets is the transport's choice (app/transports/).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.contracts import TOPICS, dlq_topic
from app.core.metrics import DLQ_DEPTH
from app.events import outbox
from app.events.transport import Message, Publisher
from app.models.dead_letter import DeadLetter
from app.repositories import dead_letters as rows

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
    """The record goes to the `{topic}-dlq` topic through the transport's publisher."""

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
            rows.add_dead_letter(
                session=session,
                topic=dlq_topic(record.source_topic),
                consumer=record.consumer,
                key=record.key,
                payload=record.model_dump_json(),
                error=record.error[:10_000],
            )
            session.commit()


class BrokerAndDatabaseSink:
    """A broker's `{topic}-dlq` topic is the record of truth; the table copy feeds
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


class DeadLetterSummary(BaseModel):
    id: int
    topic: str
    consumer: str
    event_id: str | None
    error: str
    failed_at: datetime
    replayed_at: datetime | None


def _summary(row: DeadLetter) -> DeadLetterSummary:
    assert row.id is not None
    return DeadLetterSummary(
        id=row.id,
        topic=row.topic,
        consumer=row.consumer,
        event_id=DeadLetterRecord.model_validate_json(row.payload).event_id,
        error=row.error,
        failed_at=row.failed_at,
        replayed_at=row.replayed_at,
    )


def _pending(
    session: Session, topic: str | None, include_replayed: bool = False
) -> list[DeadLetter]:
    if topic is not None and not topic.endswith("-dlq"):
        topic = dlq_topic(topic)
    return rows.list_dead_letters(session=session, topic=topic, include_replayed=include_replayed)


def list_dead_letters(
    *, session: Session, topic: str | None = None, include_replayed: bool = False
) -> list[DeadLetterSummary]:
    return [_summary(row) for row in _pending(session, topic, include_replayed)]


def replay(*, session: Session, ids: list[int] | None = None, topic: str | None = None) -> int:
    """Re-queues dead letters on their source topic; consumers that already applied an
    event skip it by event_id, so replaying too much is harmless."""
    chosen = [row for row in _pending(session, topic) if ids is None or row.id in ids]
    for row in chosen:
        record = DeadLetterRecord.model_validate_json(row.payload)
        # The outbox id only has to be unique; consumers read the event id from the payload.
        outbox.enqueue(session, record.replay_message(), outbox_id=str(uuid.uuid4()))
        rows.mark_replayed(session=session, row=row)
    session.commit()
    return len(chosen)


def report_depth(*, session: Session) -> None:
    depth = {topic: 0 for topic in map(dlq_topic, TOPICS)}
    depth.update(rows.depth_by_topic(session=session))
    for topic, n in depth.items():
        DLQ_DEPTH.labels(topic=topic).set(n)
