"""The periodic reminder check: fires each due reminder exactly once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.core.db import utcnow
from app.events import outbox
from app.events.schemas import ReminderEvent, TaskUpdateEvent
from app.repositories import tasks as tasks_repo
from app.repositories.locks import try_transaction_lock

# One replica at a time runs the scheduled check (the others skip that tick).
REMINDER_LOCK_ID = 0x7A5F_0002


def fire_due_reminders(*, session: Session, now: datetime | None = None, limit: int = 500) -> int:
    """Marks due reminders sent and records a `due` event for each, in one transaction.

    On PostgreSQL the rows are locked with SKIP LOCKED, so concurrent checks (two
    replicas, or the cron binding racing the in-process scheduler) never fire one twice.
    """
    tasks = tasks_repo.lock_due_reminders(session=session, now=now or utcnow(), limit=limit)
    for task in tasks:
        task.reminder_sent = True
        session.add(task)
        about: dict[str, Any] = {"task_id": task.id, "user_id": task.user_id}
        due = ReminderEvent(
            **about,
            event_type="due",
            title=task.title,
            due_at=task.due_at,
            remind_at=task.remind_at,
        )
        sent = TaskUpdateEvent(**about, event_type="updated", changes={"reminder_sent": True})
        outbox.record_all(session, [due, sent])
    session.commit()
    return len(tasks)


def fire_due_reminders_as_leader(*, session: Session) -> int:
    """The scheduled check: only the replica holding the lock fires; the others skip."""
    if not try_transaction_lock(session=session, key=REMINDER_LOCK_ID):
        session.rollback()
        return 0
    return fire_due_reminders(session=session)
