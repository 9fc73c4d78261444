"""The transactional outbox: events are written in the same transaction as the change."""

import json
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, Text
from sqlmodel import Column, Field, Session, SQLModel

from app.core.db import now_field, optional_time_field
from app.core.logging import correlation_id_var
from app.core.tracing import TRACEPARENT, current_traceparent
from app.events.schemas import DomainEvent
from app.events.transport import HEADER_CORRELATION_ID, Message


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "published_at", "id"),)

    # Insertion order is publication order (per-user order follows from it).
    # SQLite only auto-increments an INTEGER primary key, so BIGINT is PostgreSQL's alone.
    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    )
    topic: str = Field(max_length=100)
    key: str = Field(max_length=100)
    event_id: str = Field(max_length=36, unique=True)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    correlation_id: str | None = Field(default=None, max_length=100)
    # The W3C trace context of the request that made the change, carried to the consumers.
    traceparent: str | None = Field(default=None, max_length=100)
    created_at: datetime = now_field()
    published_at: datetime | None = optional_time_field()
    attempts: int = 0


def enqueue(session: Session, message: Message, *, outbox_id: str) -> None:
    """Adds a message to the caller's transaction; it is published only if that commits."""
    session.add(
        OutboxMessage(
            topic=message.topic,
            key=message.key or "",
            event_id=outbox_id,
            payload=message.value.decode(),
            correlation_id=message.headers.get(HEADER_CORRELATION_ID),
            traceparent=message.headers.get(TRACEPARENT),
        )
    )
    # Tells the relay (after commit) that there is something to publish now.
    session.info["outbox_pending"] = True


def record(session: Session, event: DomainEvent, *, correlation_id: str | None = None) -> None:
    """Records a domain event with the current request's correlation id and trace context."""
    headers: dict[str, str] = {}
    correlation = correlation_id or correlation_id_var.get()
    if correlation:
        headers[HEADER_CORRELATION_ID] = correlation
    traceparent = current_traceparent()
    if traceparent:
        headers[TRACEPARENT] = traceparent
    payload = json.dumps(event.cloud_event(), separators=(",", ":")).encode()
    enqueue(
        session,
        Message(topic=event.topic, key=event.key, value=payload, headers=headers),
        outbox_id=str(event.event_id),
    )
