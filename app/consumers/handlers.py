"""What each consumer does with an event: `(event, *, session) -> Status`, run by the Consumer
in a worker thread, which commits the effects with the processed ids. Every effect is
idempotent by construction."""

from __future__ import annotations

import json

import anyio.from_thread
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.consumers.base import Handler, Status
from app.core.metrics import REMINDERS_FIRED
from app.events.schemas import DomainEvent, ReminderEvent, TaskEvent, TaskUpdateEvent
from app.models.activity import ActivityEntry
from app.models.notification import Notification
from app.realtime.hub import ConnectionHub
from app.repositories import activity, notifications
from app.repositories.users import get_user
from app.services.tasks import create_next_occurrence


def recurring(event: DomainEvent, *, session: Session) -> Status:
    if not isinstance(event, TaskEvent) or event.event_type != "completed":
        return "SUCCESS"
    user = get_user(session=session, user_id=event.user_id)
    if user is None:
        return "SUCCESS"
    try:
        # The use case REST shares commits the new task (and its events) itself.
        create_next_occurrence(session=session, user=user, task_id=event.task_id)
    except IntegrityError:
        # previous_occurrence_id is unique: a concurrent delivery already created it. After
        # this rollback the Consumer redoes the batch one message at a time; this event then
        # finds the occurrence and succeeds.
        session.rollback()
    return "SUCCESS"


def reminders(event: DomainEvent, *, session: Session) -> Status:
    if not isinstance(event, ReminderEvent) or event.event_type != "due":
        return "SUCCESS"
    title = event.title or f"task {event.task_id}"
    notification = Notification(
        event_id=str(event.event_id),
        user_id=event.user_id,
        task_id=event.task_id,
        title=title,
        message=f"Reminder: {title}"
        + (f" is due at {event.due_at.isoformat()}" if event.due_at else ""),
        due_at=event.due_at,
    )
    notifications.add_notification_once(session=session, notification=notification)
    REMINDERS_FIRED.inc()
    return "SUCCESS"


def audit(event: DomainEvent, *, session: Session) -> Status:
    changes = (
        event.changes
        if isinstance(event, TaskEvent)
        else event.model_dump(
            mode="json", include={"title", "due_at", "remind_at"}, exclude_none=True
        )
    )
    entry = ActivityEntry(
        event_id=str(event.event_id),
        user_id=event.user_id,
        task_id=event.task_id,
        topic=event.topic,
        event_type=event.event_type,
        changes=json.dumps(changes),
        occurred_at=event.occurred_at,
    )
    activity.add_entry_once(session=session, entry=entry)
    return "SUCCESS"


def realtime(hub: ConnectionHub) -> Handler:
    def push(event: DomainEvent, *, session: Session) -> Status:
        # No hop back to the loop when none of the user's sockets is open here (a socket
        # opened meanwhile misses this update, as one opened just after would).
        if isinstance(event, TaskUpdateEvent) and hub.connections(event.user_id):
            # The sockets belong to the event loop: hop back onto it to send.
            anyio.from_thread.run(
                hub.push,
                event.user_id,
                event.model_dump(
                    mode="json", include={"event_type", "task_id", "changes", "occurred_at"}
                ),
            )
        return "SUCCESS"

    return push
