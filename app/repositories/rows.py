"""Statements shared by the tables written once per event (activity, notifications)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, SQLModel, col, select

from app.models.activity import ActivityEntry
from app.models.notification import Notification
from app.models.page_window import PageWindow

Row = TypeVar("Row", ActivityEntry, Notification)
# Rows insert_once queued in a session, written when it commits.
_QUEUED = "rows_to_insert_once"


def newest_first(
    session: Session, model: type[Row], where: list[Any], newest: Any, window: PageWindow
) -> tuple[list[Row], int]:
    """One page, newest first (id breaks ties), and the total before paging."""
    stmt = (
        select(model)
        .where(*where)
        .order_by(newest.desc(), col(model.id).desc())
        .offset(window.offset)
        .limit(window.limit)
    )
    total_stmt: Any = select(func.count()).select_from(model).where(*where)
    return list(session.exec(stmt).all()), int(session.exec(total_stmt).one())


def insert_ignoring_duplicates(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], *, unique: list[str]
) -> None:
    """Inserts the rows in the caller's transaction (no commit) with one statement, skipping
    any whose `unique` columns are stored already: a redelivered event is a no-op, and a race
    with another replica raises nothing. Any other failure (a user that does not exist) still
    raises."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(model).on_conflict_do_nothing(index_elements=unique), rows)


def insert_once(session: Session, row: ActivityEntry | Notification) -> None:
    """Queues the row in the session: when the session commits, the rows queued for a table
    go in with one INSERT ... ON CONFLICT DO NOTHING (see insert_ignoring_duplicates), so a
    consumer's batch of events costs one statement, not one each. Such an INSERT is compiled
    anew every time (SQLAlchemy does not cache ON CONFLICT), which one per batch makes cheap.
    A failure (a user that does not exist) raises from the commit."""
    session.info.setdefault(_QUEUED, []).append(row)


@event.listens_for(Session, "before_commit")
def _insert_queued(session: Session) -> None:
    queued: list[ActivityEntry | Notification] = session.info.pop(_QUEUED, [])
    by_table: dict[type[SQLModel], list[dict[str, Any]]] = {}
    for row in queued:
        by_table.setdefault(type(row), []).append(row.model_dump(exclude={"id"}))
    for model, rows in by_table.items():
        insert_ignoring_duplicates(session, model, rows, unique=["event_id"])


@event.listens_for(Session, "after_soft_rollback")
def _drop_queued(session: Session, previous_transaction: SessionTransaction) -> None:
    session.info.pop(_QUEUED, None)
