"""SQL for the activity table (the audit log)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.models.activity import ActivityEntry, ActivityQuery
from app.repositories.rows import insert_once, newest_first


def add_entry_once(*, session: Session, entry: ActivityEntry) -> None:
    insert_once(session, entry)


def list_entries(
    *, session: Session, user_id: uuid.UUID, query: ActivityQuery
) -> tuple[list[ActivityEntry], int]:
    where = [col(ActivityEntry.user_id) == user_id]
    if query.task_id is not None:
        where.append(col(ActivityEntry.task_id) == query.task_id)
    return newest_first(session, ActivityEntry, where, col(ActivityEntry.occurred_at), query)


def oldest_before(*, session: Session, cutoff: datetime, limit: int) -> list[ActivityEntry]:
    stmt = (
        select(ActivityEntry)
        .where(col(ActivityEntry.occurred_at) < cutoff)
        .order_by(col(ActivityEntry.id))
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def delete_entries(*, session: Session, ids: list[int]) -> None:
    session.execute(delete(ActivityEntry).where(col(ActivityEntry.id).in_(ids)))
