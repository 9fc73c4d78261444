from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.core.db import now_field, optional_time_field
from app.models.event_record import EventRecord


class Notification(EventRecord, table=True):
    """A delivered reminder."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at", "id"),)

    title: str = Field(max_length=500)
    message: str = Field(max_length=1000)
    due_at: datetime | None = optional_time_field()
    created_at: datetime = now_field()
    read_at: datetime | None = optional_time_field()


class NotificationPublic(SQLModel):
    id: int
    task_id: int
    title: str
    message: str
    due_at: datetime | None
    created_at: datetime
    read_at: datetime | None
