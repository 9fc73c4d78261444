"""A signed-in browser: the server side of one refresh token, rotated on every use."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, now_field, optional_time_field


class UserSession(SQLModel, table=True):
    """One row per log-in (a session family): the refresh token's id is the row's id, and
    only the SHA-256 of its current secret is kept. A rotated-out secret presented again no
    longer matches the hash, which is how a reused token is told apart (and the row revoked).
    """

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user_id", "user_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64)
    created_at: datetime = now_field()
    last_used_at: datetime = now_field()
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = optional_time_field()
