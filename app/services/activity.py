"""Reading the audit log and the stored notifications."""

import json
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.db import utcnow
from app.models.activity import ActivityEntry, ActivityPublic
from app.models.notification import Notification, NotificationPublic
from app.models.user import User
from app.services.errors import NotFound

Row = TypeVar("Row", ActivityEntry, Notification)


def _newest_first(
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


def list_activity(
    *, session: Session, user: User, offset: int, limit: int, task_id: int | None = None
) -> tuple[list[ActivityPublic], int]:
    where = [col(ActivityEntry.user_id) == user.id]
    if task_id is not None:
        where.append(col(ActivityEntry.task_id) == task_id)
    rows, total = _newest_first(
        session, ActivityEntry, where, col(ActivityEntry.occurred_at), offset=offset, limit=limit
    )
    entries = [
        ActivityPublic.model_validate(e, update={"changes": json.loads(e.changes)}) for e in rows
    ]
    return entries, total


def list_notifications(
    *, session: Session, user: User, offset: int, limit: int, unread: bool | None = None
) -> tuple[list[NotificationPublic], int]:
    read_at = col(Notification.read_at)
    where = [col(Notification.user_id) == user.id]
    if unread is not None:
        where.append(read_at.is_(None) if unread else read_at.is_not(None))
    rows, total = _newest_first(
        session, Notification, where, col(Notification.created_at), offset=offset, limit=limit
    )
    return [NotificationPublic.model_validate(n) for n in rows], total


def mark_notification_read(
    *, session: Session, user: User, notification_id: int
) -> NotificationPublic:
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound(f"notification {notification_id} not found")
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.add(notification)
        session.commit()
        session.refresh(notification)
    return NotificationPublic.model_validate(notification)
