"""The processed_events table: which consumer has applied which event."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.db import now_field


class ProcessedEvent(SQLModel, table=True):
    """Durable de-duplication: a consumer applies each event_id once, across restarts."""

    __tablename__ = "processed_events"

    consumer: str = Field(max_length=50, primary_key=True)
    event_id: str = Field(max_length=36, primary_key=True)
    processed_at: datetime = now_field()
