from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text
from sqlmodel import Column, Field, SQLModel

from app.core.db import UTCDateTime, now_field


class ActivityEntry(SQLModel, table=True):
    """One domain event in a user's audit log; event_id makes recording it idempotent."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_user_occurred", "user_id", "occurred_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36, unique=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    task_id: int
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
