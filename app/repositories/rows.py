"""Statements shared by the tables written once per event (activity, notifications)."""

from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models.activity import ActivityEntry
from app.models.notification import Notification

Row = TypeVar("Row", ActivityEntry, Notification)


def newest_first(
    session: Session, model: type[Row], where: list[Any], newest: Any, *, offset: int, limit: int
) -> tuple[list[Row], int]:
    """One page, newest first (id breaks ties), and the total before paging."""
    stmt = (
        select(model)
        .where(*where)
        .order_by(newest.desc(), col(model.id).desc())
        .offset(offset)
        .limit(limit)
    )
    total_stmt: Any = select(func.count()).select_from(model).where(*where)
    return list(session.exec(stmt).all()), int(session.exec(total_stmt).one())


def insert_once(session: Session, row: ActivityEntry | Notification) -> None:
    """Commits the row; a redelivered event (same unique event_id) is a no-op."""
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        # Only the unique event_id means "stored before" (a redelivery); anything else,
        # such as a user that does not exist, is a real failure.
        stmt = select(type(row)).where(col(type(row).event_id) == row.event_id)
        if session.exec(stmt).first() is None:
            raise
