"""The dead_letters table: messages a consumer gave up on, listed and replayed by `taskflow dlq`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel

from app.core.db import now_field, optional_time_field


class DeadLetter(SQLModel, table=True):
    """A parked message with its error (Kafka and Dapr also keep their own -dlq topics)."""

    __tablename__ = "dead_letters"

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=100, index=True)
    consumer: str = Field(max_length=50)
    key: str | None = Field(default=None, max_length=100)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    error: str = Field(sa_column=Column(Text, nullable=False))
    failed_at: datetime = now_field()
    replayed_at: datetime | None = optional_time_field()
