"""SQL for the outbox table, and the advisory lock that elects one relay per database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, text, update
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app.core.db import utcnow
from app.models.outbox import OutboxMessage

_INSERT = insert(OutboxMessage.__table__)  # type: ignore[attr-defined]


def add_messages(*, session: Session, messages: list[dict[str, Any]]) -> None:
    """Writes a change's messages with one INSERT in the caller's transaction.

    Core, not the ORM: the rows are only written, never read back, so a unit of work per row
    would be pure overhead. Each message has topic, key, event_id, payload, correlation_id
    and traceparent."""
    now = utcnow()
    rows = [{**message, "created_at": now, "attempts": 0} for message in messages]
    # One Core statement built once, on the table: no ORM bulk machinery and its cache key is
    # computed once (a statement built per call pays both on every create). executemany form:
    # the driver sends the rows as one batch.
    session.connection().execute(_INSERT, rows)


def pending(*, session: Session, limit: int) -> list[OutboxMessage]:
    """The oldest unpublished messages, in insertion (= publication) order."""
    stmt = (
        select(OutboxMessage)
        .where(col(OutboxMessage.published_at).is_(None))
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def mark_published(*, session: Session, ids: list[int]) -> None:
    stmt = update(OutboxMessage).where(col(OutboxMessage.id).in_(ids))
    session.execute(stmt.values(published_at=utcnow()))


def count_attempt(*, session: Session, row_id: int) -> None:
    stmt = update(OutboxMessage).where(col(OutboxMessage.id) == row_id)
    session.execute(stmt.values(attempts=OutboxMessage.attempts + 1))


def backlog(*, session: Session) -> int:
    stmt: Any = select(func.count()).where(col(OutboxMessage.published_at).is_(None))
    return int(session.exec(stmt).one())


def try_advisory_lock(connection: Connection, lock_id: int) -> bool:
    """PostgreSQL: a session-level lock held as long as the connection lives."""
    got = connection.execute(text("SELECT pg_try_advisory_lock(:id)"), {"id": lock_id})
    return bool(got.scalar_one())
