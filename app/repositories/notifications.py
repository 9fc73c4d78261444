"""SQL for the notifications table."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, func, select

from app.models.notification import Notification, NotificationQuery
from app.repositories.rows import insert_once, newest_first


def add_notification_once(*, session: Session, notification: Notification) -> None:
    insert_once(session, notification)


def list_notifications(
    *, session: Session, user_id: uuid.UUID, query: NotificationQuery
) -> tuple[list[Notification], int]:
    read_at = col(Notification.read_at)
    where = [col(Notification.user_id) == user_id]
    if query.unread is not None:
        where.append(read_at.is_(None) if query.unread else read_at.is_not(None))
    return newest_first(session, Notification, where, col(Notification.created_at), query)


def count_unread(*, session: Session, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        col(Notification.user_id) == user_id, col(Notification.read_at).is_(None)
    )
    return session.exec(stmt).one()


def get_notification(
    *, session: Session, user_id: uuid.UUID, notification_id: int
) -> Notification | None:
    notification = session.get(Notification, notification_id)
    return notification if notification is not None and notification.user_id == user_id else None
