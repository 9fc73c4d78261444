"""SQL for the dead_letters table."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.db import utcnow
from app.models.dead_letter import DeadLetter


def add_dead_letter(
    *, session: Session, topic: str, consumer: str, key: str | None, payload: str, error: str
) -> None:
    session.add(DeadLetter(topic=topic, consumer=consumer, key=key, payload=payload, error=error))


def list_dead_letters(
    *, session: Session, topic: str | None, include_replayed: bool
) -> list[DeadLetter]:
    stmt = select(DeadLetter).order_by(col(DeadLetter.id))
    if topic is not None:
        stmt = stmt.where(DeadLetter.topic == topic)
    if not include_replayed:
        stmt = stmt.where(col(DeadLetter.replayed_at).is_(None))
    return list(session.exec(stmt).all())


def mark_replayed(*, session: Session, row: DeadLetter) -> None:
    row.replayed_at = utcnow()
    session.add(row)


def depth_by_topic(*, session: Session) -> dict[str, int]:
    """Messages not yet replayed, per dead-letter topic."""
    stmt = (
        select(DeadLetter.topic, func.count())
        .where(col(DeadLetter.replayed_at).is_(None))
        .group_by(col(DeadLetter.topic))
    )
    return {topic: int(n) for topic, n in session.exec(stmt).all()}
