"""Column shapes the migrations share: a serial id, the owning user, a timestamp, the
columns of a per-event row.

Migrations are history: deployed databases ran them, so what an old revision emits must never
change. tests/app/alembic/test_history_sql.py compares every revision's DDL with a checked-in
snapshot, so an edit here that would alter one fails there. Never change what a helper
emits; a new shape is a new helper.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

from app.core.db import UTCDateTime


def serial_id() -> sa.Column[int]:
    """The integer primary key column; its table lists sa.PrimaryKeyConstraint("id")."""
    return sa.Column("id", sa.Integer(), nullable=False)


def create_serial_table(name: str, *items: SchemaItem) -> None:
    """A table keyed by a serial `id`, its first column. (Where PrimaryKeyConstraint stands
    among the items does not change the DDL: the primary key is always rendered first.)"""
    op.create_table(name, serial_id(), *items, sa.PrimaryKeyConstraint("id"))


def user_id() -> sa.Column[uuid.UUID]:
    """The owning user; pair it with owned_by_user()."""
    return sa.Column("user_id", sa.Uuid(), nullable=False)


def owned_by_user() -> sa.ForeignKeyConstraint:
    """The row goes when its user does."""
    return sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE")


def timestamp(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    """An aware point in time (timestamptz on PostgreSQL, UTC on SQLite)."""
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def create_event_record_table(name: str, *columns: sa.Column[Any]) -> None:
    """A table of rows a consumer writes once per event about a user's task, as
    app/models/event_record.py declares them: event_id is unique, the row goes with its user."""
    create_serial_table(
        name,
        sa.Column("event_id", sa.String(length=36), nullable=False),
        user_id(),
        sa.Column("task_id", sa.Integer(), nullable=False),
        *columns,
        owned_by_user(),
        sa.UniqueConstraint("event_id"),
    )
