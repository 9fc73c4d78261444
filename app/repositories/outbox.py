"""SQL for the outbox table, and the advisory lock that elects one relay per database."""

from typing import Any

from sqlalchemy import func, text, update
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from app.core.db import utcnow
from app.models.outbox import OutboxMessage


def add_message(
    *,
    session: Session,
    topic: str,
    key: str,
    event_id: str,
    payload: str,
    correlation_id: str | None,
    traceparent: str | None,
) -> None:
    session.add(
        OutboxMessage(
            topic=topic,
            key=key,
            event_id=event_id,
            payload=payload,
            correlation_id=correlation_id,
            traceparent=traceparent,
        )
    )


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
