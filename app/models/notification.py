from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.core.db import now_field, optional_time_field
from app.models.event_record import EventRecord
from app.models.page_window import PageWindow


class NotificationFields(SQLModel):
    """What a delivered reminder says: stored and returned alike."""

    title: str = Field(max_length=500)
    message: str = Field(max_length=1000)
    due_at: datetime | None = optional_time_field()
    created_at: datetime = now_field()
    read_at: datetime | None = optional_time_field()


class Notification(EventRecord, NotificationFields, table=True):
    """A delivered reminder."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at", "id"),)


class NotificationQuery(PageWindow):
    unread: bool | None = Field(
        default=None, description="true: only the unread ones; false: only those read."
    )


class NotificationPublic(NotificationFields):
    # Every field is in every answer, defaults or not: the response schema says so.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)  # type: ignore[assignment]

    id: int
    task_id: int
