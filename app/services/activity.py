"""Reading the audit log and the stored notifications."""

from __future__ import annotations

import json

from sqlmodel import Session

from app.core.db import utcnow
from app.models.activity import ActivityPublic, ActivityQuery
from app.models.notification import NotificationPublic, NotificationQuery
from app.models.user import User
from app.repositories import activity, notifications
from app.services.errors import NotFound


def list_activity(
    *, session: Session, user: User, query: ActivityQuery
) -> tuple[list[ActivityPublic], int]:
    rows, total = activity.list_entries(session=session, user_id=user.id, query=query)
    entries = [
        ActivityPublic.model_validate(e, update={"changes": json.loads(e.changes)}) for e in rows
    ]
    return entries, total


def list_notifications(
    *, session: Session, user: User, query: NotificationQuery
) -> tuple[list[NotificationPublic], int]:
    rows, total = notifications.list_notifications(session=session, user_id=user.id, query=query)
    return [NotificationPublic.model_validate(n) for n in rows], total


def count_unread(*, session: Session, user: User) -> int:
    return notifications.count_unread(session=session, user_id=user.id)


def mark_notification_read(
    *, session: Session, user: User, notification_id: int
) -> NotificationPublic:
    notification = notifications.get_notification(
        session=session, user_id=user.id, notification_id=notification_id
    )
    if notification is None:
        raise NotFound(f"notification {notification_id} not found")
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.add(notification)
        session.commit()
        session.refresh(notification)
    return NotificationPublic.model_validate(notification)
