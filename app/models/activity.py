from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text
from sqlmodel import Column, Field, SQLModel

from app.core.db import UTCDateTime, now_field
from app.models.event_record import EventRecord


class ActivityEntry(EventRecord, table=True):
    """One domain event in a user's audit log."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_user_occurred", "user_id", "occurred_at", "id"),)

    topic: str = Field(max_length=100)
    event_type: str = Field(max_length=50)
    changes: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    recorded_at: datetime = now_field()


class ActivityPublic(SQLModel):
    id: int
    event_id: str
    task_id: int
    topic: str
    event_type: str
    changes: dict[str, Any]
    occurred_at: datetime
    recorded_at: datetime
