"""Reading the audit log and the stored notifications."""

import json
import uuid
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.db import utcnow
from app.models.activity import ActivityEntry, ActivityPublic
from app.models.notification import Notification, NotificationPublic
from app.models.user import User
from app.services.errors import NotFound


def _count(session: Session, model: Any, user_id: uuid.UUID) -> int:
    stmt: Any = select(func.count()).select_from(model).where(model.user_id == user_id)
    return int(session.exec(stmt).one())


def list_activity(
    *, session: Session, user: User, offset: int, limit: int, task_id: int | None = None
) -> tuple[list[ActivityPublic], int]:
    where = [col(ActivityEntry.user_id) == user.id]
    if task_id is not None:
        where.append(col(ActivityEntry.task_id) == task_id)
    stmt = (
        select(ActivityEntry)
        .where(*where)
        .order_by(col(ActivityEntry.occurred_at).desc(), col(ActivityEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    total_stmt: Any = select(func.count()).select_from(ActivityEntry).where(*where)
    entries = [
        ActivityPublic.model_validate(e, update={"changes": json.loads(e.changes)})
        for e in session.exec(stmt).all()
    ]
    return entries, int(session.exec(total_stmt).one())


def list_notifications(
    *, session: Session, user: User, offset: int, limit: int, unread: bool | None = None
) -> tuple[list[NotificationPublic], int]:
    where = [col(Notification.user_id) == user.id]
    if unread is not None:
        where.append(
            col(Notification.read_at).is_(None)
            if unread
            else col(Notification.read_at).is_not(None)
        )
    stmt = (
        select(Notification)
        .where(*where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset(offset)
        .limit(limit)
    )
    total_stmt: Any = select(func.count()).select_from(Notification).where(*where)
    items = [NotificationPublic.model_validate(n) for n in session.exec(stmt).all()]
    return items, int(session.exec(total_stmt).one())


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
