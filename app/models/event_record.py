"""The columns of a row a consumer writes once per event about a user's task."""

from __future__ import annotations

import uuid

from sqlmodel import Field, SQLModel


class EventRecord(SQLModel):
    """event_id (unique) makes writing the row idempotent under redelivery; the row goes
    with its user."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=36, unique=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    task_id: int
