"""Task use cases. Each mutation commits the change and its events together (outbox)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import Session

from app.core.db import utcnow
from app.domain.recurrence import next_occurrence
from app.domain.timezones import parse_timezone, to_utc
from app.events import outbox
from app.events.schemas import (
    TASK_FIELDS,
    DomainEvent,
    ReminderEvent,
    TaskEvent,
    TaskEventType,
    TaskUpdateEvent,
)
from app.models.task import Task, TaskCreate, TaskPublic, TaskReplace, TaskUpdate
from app.models.task_query import TaskQuery
from app.models.user import User
from app.repositories import tags as tags_crud
from app.repositories import tasks as tasks_crud
from app.services.errors import Conflict, InvalidInput, NotFound

_EVENT_FIELDS = tuple(sorted(TASK_FIELDS))
_json = TypeAdapter(Any)
# One validation (and one serialisation, in the route) for a whole page of tasks.
TASK_LIST = TypeAdapter(list[TaskPublic])
# A deleted task can be restored this long; later it is purged (docs/adr/0503).
RESTORE_WINDOW = timedelta(days=30)


@dataclass(frozen=True, kw_only=True)
class TaskPage:
    tasks: list[TaskPublic]
    total: int
    # False when total is the planner's estimate of a large result (past EXACT_TOTAL_UP_TO).
    total_exact: bool = True


_PUBLIC_COLUMNS = tuple(name for name in TaskPublic.model_fields if name != "tags")


def _public(task: Task, tags: Sequence[str]) -> TaskPublic:
    values = {name: getattr(task, name) for name in _PUBLIC_COLUMNS}
    return TaskPublic.model_validate({**values, "tags": list(tags)})


def _snapshot(task: Task, tags: Sequence[str]) -> dict[str, Any]:
    values = {name: getattr(task, name) for name in _EVENT_FIELDS if name != "tags"}
    values["tags"] = sorted(tags, key=str.lower)
    result: dict[str, Any] = _json.dump_python(values, mode="json")
    return result


def _due_utc(user: User, value: datetime | None, field: str = "due_at") -> datetime | None:
    if value is None:
        return None
    try:
        return to_utc(value, parse_timezone(user.timezone))
    except ValueError as exc:
        raise InvalidInput(field, f"{field}: {exc}") from None


def _schedule_reminder(task: Task) -> None:
    if task.due_at is not None and task.remind_before_minutes is not None:
        task.remind_at = task.due_at - timedelta(minutes=task.remind_before_minutes)
    else:
        task.remind_at = None


def _check_recurrence(task: Task) -> None:
    # A whole body breaking this is refused by its schema (TaskCreate); what is left is a
    # patch that conflicts with the stored task (repeat it, or clear its due date).
    if task.recurrence is not None and task.due_at is None:
        raise Conflict("a recurring task needs a due_at")


def _emit(
    session: Session,
    task: Task,
    event_type: TaskEventType,
    changes: dict[str, Any],
    *,
    old_remind_at: datetime | None,
) -> None:
    assert task.id is not None
    common = {
        "task_id": task.id,
        "user_id": task.user_id,
        "event_type": event_type,
        "changes": changes,
    }
    events: list[DomainEvent] = [
        TaskEvent.model_validate(common),
        TaskUpdateEvent.model_validate(common),
    ]
    active_remind_at = None if task.completed or task.deleted_at else task.remind_at
    if active_remind_at != old_remind_at or (event_type == "created" and active_remind_at):
        reminder_type = "scheduled" if active_remind_at is not None else "cancelled"
        if reminder_type != "cancelled" or old_remind_at is not None:
            events.append(
                ReminderEvent(
                    task_id=task.id,
                    user_id=task.user_id,
                    event_type=reminder_type,
                    title=task.title,
                    due_at=task.due_at,
                    remind_at=active_remind_at,
                )
            )
    outbox.record_all(session, events)


def _apply(session: Session, user: User, task: Task, values: dict[str, Any]) -> list[str] | None:
    """Copies validated fields onto the row; returns the new tag names when tags are given."""
    tag_names = values.pop("tags", None)
    if "due_at" in values:
        values["due_at"] = _due_utc(user, values["due_at"])
    if "completed" in values and values["completed"] != task.completed:
        task.completed_at = utcnow() if values["completed"] else None
    for name, value in values.items():
        setattr(task, name, value)
    if "due_at" in values or "remind_before_minutes" in values:
        task.reminder_sent = False
    _check_recurrence(task)
    _schedule_reminder(task)
    return tag_names if tag_names is None else list(tag_names)


def _save_tags(session: Session, user: User, task: Task, tag_names: list[str]) -> list[str]:
    """Sets the task's tags (creating unknown ones); returns their names in display order."""
    assert task.id is not None
    tags = tags_crud.get_or_create_tags(session=session, user_id=user.id, names=tag_names)
    tags_crud.set_task_tags(session=session, task_id=task.id, tags=tags)
    return sorted((tag.name for tag in tags), key=str.lower)


def _require(session: Session, user: User, task_id: int, *, lock: bool = False) -> Task:
    task = tasks_crud.get_task(session=session, user_id=user.id, task_id=task_id, lock=lock)
    if task is None:
        raise NotFound(f"task {task_id} not found")
    return task


def _current_tags(session: Session, task: Task) -> list[str]:
    assert task.id is not None
    return tags_crud.tag_names_for_tasks(session=session, task_ids=[task.id])[task.id]


def create_task(
    *,
    session: Session,
    user: User,
    data: TaskCreate,
    previous_occurrence_id: int | None = None,
) -> TaskPublic:
    task = Task(user_id=user.id, title=data.title, previous_occurrence_id=previous_occurrence_id)
    tag_names = _apply(session, user, task, data.model_dump())
    # The row is written with one INSERT ... RETURNING id and never read back: everything else
    # in it was computed here. A task without tags costs no tag query at all.
    task.id = tasks_crud.insert_task(session=session, task=task)
    tags = _save_tags(session, user, task, tag_names) if tag_names else []
    _emit(
        session,
        task,
        "created",
        _snapshot(task, tags),
        old_remind_at=None,
    )
    result = _public(task, tags)
    session.commit()
    return result


def get_task(*, session: Session, user: User, task_id: int) -> TaskPublic:
    task = _require(session, user, task_id)
    return _public(task, _current_tags(session, task))


def _change(
    session: Session,
    user: User,
    task: Task,
    values: dict[str, Any],
) -> TaskPublic:
    before_tags = _current_tags(session, task)
    before = _snapshot(task, before_tags)
    old_remind_at = None if task.completed else task.remind_at
    tag_names = _apply(session, user, task, values)
    after_tags = before_tags if tag_names is None else _save_tags(session, user, task, tag_names)
    after = _snapshot(task, after_tags)
    changes = {name: value for name, value in after.items() if before[name] != value}
    if changes:
        task.updated_at = utcnow()
        event_type: TaskEventType = "updated"
        if "completed" in changes:
            event_type = "completed" if task.completed else "uncompleted"
        _emit(
            session,
            task,
            event_type,
            changes,
            old_remind_at=old_remind_at,
        )
        if "completed" in changes and task.recurrence is not None:
            _follow_series(session, task)
    # Built before the commit, which would expire the row and cost a SELECT to read it back.
    result = _public(task, after_tags)
    session.commit()
    return result


def update_task(
    *,
    session: Session,
    user: User,
    task_id: int,
    data: TaskReplace | TaskUpdate,
) -> TaskPublic:
    """A replacement (PUT) sets every field, omitted optional ones back to their defaults;
    a patch changes only the fields it gives."""
    task = _require(session, user, task_id)
    changes = data.model_dump(exclude_unset=isinstance(data, TaskUpdate))
    return _change(session, user, task, changes)


def set_completion(
    *,
    session: Session,
    user: User,
    task_id: int,
    completed: bool | None,
) -> TaskPublic:
    """Sets completion when given, toggles it when None."""
    # Locked: reopening reads the series' successor, which the consumer may be creating.
    task = _require(session, user, task_id, lock=True)
    target = (not task.completed) if completed is None else completed
    return _change(session, user, task, {"completed": target})


def _soft_delete(session: Session, task: Task) -> None:
    old_remind_at = None if task.completed else task.remind_at
    task.deleted_at = utcnow()
    session.add(task)
    _emit(session, task, "deleted", {}, old_remind_at=old_remind_at)


def _follow_series(session: Session, task: Task) -> None:
    """Reopening an occurrence takes back the open occurrence its completion created, so the
    series has one open occurrence again (an undo of the completion); completing it again
    brings that occurrence back (the consumer creates one only when there is none)."""
    assert task.id is not None
    successor = tasks_crud.get_next_occurrence(session=session, previous_id=task.id)
    if successor is None:
        return
    if not task.completed and successor.deleted_at is None and not successor.completed:
        _soft_delete(session, successor)
    elif task.completed and successor.deleted_at is not None:
        _undelete(session, successor)


def delete_task(*, session: Session, user: User, task_id: int) -> None:
    """A soft delete: the task is hidden everywhere and restorable for RESTORE_WINDOW."""
    _soft_delete(session, _require(session, user, task_id))
    session.commit()


def _undelete(session: Session, task: Task) -> list[str]:
    """Brings a deleted task back (no commit); returns its tags."""
    task.deleted_at = None
    session.add(task)
    tags = _current_tags(session, task)
    _emit(
        session,
        task,
        "restored",
        _snapshot(task, tags),
        old_remind_at=None,
    )
    return tags


def restore_task(*, session: Session, user: User, task_id: int) -> TaskPublic:
    """Brings back a task deleted less than RESTORE_WINDOW ago, as it was."""
    task = tasks_crud.find_task(session=session, user_id=user.id, task_id=task_id, lock=True)
    if task is None or (task.deleted_at and task.deleted_at < utcnow() - RESTORE_WINDOW):
        raise NotFound(f"task {task_id} not found")
    if task.deleted_at is None:
        raise Conflict(f"task {task_id} is not deleted")
    result = _public(task, _undelete(session, task))
    session.commit()
    return result


def purge_deleted_tasks(*, session: Session, now: datetime | None = None) -> int:
    """Removes for good the tasks deleted longer than RESTORE_WINDOW ago."""
    purged = tasks_crud.purge_deleted(
        session=session, deleted_before=(now or utcnow()) - RESTORE_WINDOW
    )
    session.commit()
    return purged


def list_tasks(*, session: Session, user: User, query: TaskQuery) -> TaskPage:
    rows, total = tasks_crud.list_tasks(
        session=session,
        user_id=user.id,
        query=query,
        now=utcnow(),
        due_after=_due_utc(user, query.due_after, "due_after"),
        due_before=_due_utc(user, query.due_before, "due_before"),
    )
    return TaskPage(
        tasks=TASK_LIST.validate_python(rows), total=total.value, total_exact=total.exact
    )


def _completed_occurrence(task: Task | None) -> Task | None:
    """The task if it is a completed occurrence of a series (it can have a successor)."""
    if task is None or task.recurrence is None or task.due_at is None or not task.completed:
        return None
    return task


def create_next_occurrence(*, session: Session, user: User, task_id: int) -> TaskPublic | None:
    """Creates the next occurrence of a completed recurring task, once.

    previous_occurrence_id is unique, so a second call (a duplicate event) finds
    the existing occurrence instead of making another.
    """
    unlocked = tasks_crud.get_task(session=session, user_id=user.id, task_id=task_id)
    if _completed_occurrence(unlocked) is None:
        return None
    # Read again under the row lock a reopen takes too (set_completion), so neither misses the
    # other's successor. Only now: an event that creates nothing takes no lock, and a path
    # that takes it commits at once, so the consumer never holds it while waiting on a row.
    task = _completed_occurrence(
        tasks_crud.get_task(session=session, user_id=user.id, task_id=task_id, lock=True)
    )
    following = None
    # Deleted or not, an existing successor is this completion's occurrence (_follow_series).
    if (
        task is not None
        and tasks_crud.get_next_occurrence(session=session, previous_id=task_id) is None
    ):
        assert task.recurrence is not None and task.due_at is not None  # _completed_occurrence
        following = next_occurrence(task.recurrence, task.due_at, parse_timezone(user.timezone))
    if task is None or following is None:
        session.commit()  # releases the lock
        return None
    data = TaskCreate(
        title=task.title,
        description=task.description,
        priority=task.priority,
        tags=_current_tags(session, task),
        due_at=following.due_at,
        recurrence=following.recurrence,
        remind_before_minutes=task.remind_before_minutes,
    )
    return create_task(
        session=session,
        user=user,
        data=data,
        previous_occurrence_id=task_id,
    )
