from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import Index, Text
from sqlmodel import Column, Field, SQLModel

from app.core.db import UTCDateTime, now_field
from app.models.bounds import INT32_MAX, INT32_MIN
from app.models.event_record import EventRecord
from app.models.page_window import PageWindow


class ActivityFields(SQLModel):
    """What an audit entry says: stored and returned alike."""

    topic: str = Field(max_length=100)
    event_type: str = Field(max_length=50)
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    recorded_at: datetime = now_field()


class ActivityEntry(EventRecord, ActivityFields, table=True):
    """One domain event in a user's audit log."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_user_occurred", "user_id", "occurred_at", "id"),)

    changes: str = Field(default="{}", sa_column=Column(Text, nullable=False))


class ActivityQuery(PageWindow):
    task_id: int | None = Field(
        default=None, ge=INT32_MIN, le=INT32_MAX, description="Only this task's entries."
    )


class ActivityPublic(ActivityFields):
    # Every field is in every answer, defaults or not: the response schema says so.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)  # type: ignore[assignment]

    id: int
    event_id: str
    task_id: int
    changes: dict[str, Any]
