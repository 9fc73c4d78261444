"""Statements shared by the tables written once per event (activity, notifications)."""

from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

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


def insert_ignoring_duplicates(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]], *, unique: list[str]
) -> None:
    """Inserts the rows in the caller's transaction (no commit), skipping any whose `unique`
    columns are stored already: a redelivered event is a no-op, and a race with another
    replica raises nothing. Any other failure (a user that does not exist) still raises.

    One statement in executemany form, so it is compiled once and cached."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(model).on_conflict_do_nothing(index_elements=unique), rows)


def insert_once(session: Session, row: ActivityEntry | Notification) -> None:
    """Adds the row unless its event_id is stored already (see insert_ignoring_duplicates)."""
    insert_ignoring_duplicates(
        session, type(row), [row.model_dump(exclude={"id"})], unique=["event_id"]
    )
