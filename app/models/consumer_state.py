from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel

from app.core.db import now_field, optional_time_field


class ProcessedEvent(SQLModel, table=True):
    """Durable de-duplication: a consumer applies each event_id once, across restarts."""

    __tablename__ = "processed_events"

    consumer: str = Field(max_length=50, primary_key=True)
    event_id: str = Field(max_length=36, primary_key=True)
    processed_at: datetime = now_field()


class DeadLetter(SQLModel, table=True):
    """A message parked by the embedded transport's DLQ (Kafka keeps its own -dlq topics)."""

    __tablename__ = "dead_letters"

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=100, index=True)
    consumer: str = Field(max_length=50)
    key: str | None = Field(default=None, max_length=100)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    error: str = Field(sa_column=Column(Text, nullable=False))
    failed_at: datetime = now_field()
    replayed_at: datetime | None = optional_time_field()
