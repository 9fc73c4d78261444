"""The outbox table: events written in the same transaction as the change they describe."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, Text
from sqlmodel import Column, Field, SQLModel

from app.core.db import now_field, optional_time_field


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
