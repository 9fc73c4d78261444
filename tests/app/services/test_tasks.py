"""app/services/tasks.py: the use cases REST, MCP and the consumers share, without HTTP."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.models.outbox import OutboxMessage
from app.models.task import Priority, TaskCreate, TaskUpdate
from app.models.task_query import TaskQuery
from app.models.user import User
from app.services import tasks
from app.services.errors import Conflict, NotFound
from tests.app.services.conftest import make_user


def _events(session: Session) -> list[tuple[str, str, dict[str, object]]]:
    """(topic, event type, changes) of every outbox row, in order."""
    rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    found = []
    for row in rows:
        data = json.loads(row.payload)["data"]
        found.append((row.topic, data["event_type"], data.get("changes", {})))
    return found


def test_create_task_commits_the_task_and_its_events_together(session: Session, user: User) -> None:
    created = tasks.create_task(
        session=session, user=user, data=TaskCreate(title="  buy milk ", tags=["#home", "Home"])
    )
    assert (created.title, created.tags) == ("buy milk", ["home"])
    events = _events(session)
    assert [(topic, kind) for topic, kind, _ in events] == [
        ("task-events", "created"),
        ("task-updates", "created"),
    ]
    assert events[0][2]["title"] == "buy milk"


def test_update_task_records_only_the_changed_fields(session: Session, user: User) -> None:
    task = tasks.create_task(
        session=session, user=user, data=TaskCreate(title="a", priority=Priority.P2)
    )
    tasks.update_task(
        session=session,
        user=user,
        task_id=task.id,
        data=TaskUpdate.model_validate({"title": "b", "priority": "P2"}),
    )
    topic, kind, changes = _events(session)[-2]
    assert (topic, kind, changes) == ("task-events", "updated", {"title": "b"})


def test_update_without_a_change_records_no_event(session: Session, user: User) -> None:
    task = tasks.create_task(session=session, user=user, data=TaskCreate(title="same"))
    before = len(_events(session))
    tasks.update_task(session=session, user=user, task_id=task.id, data=TaskUpdate(title="same"))
    assert len(_events(session)) == before


def test_completing_a_recurring_task_makes_the_next_occurrence_once(
    session: Session, user: User
) -> None:
    due = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    task = tasks.create_task(
        session=session, user=user, data=TaskCreate(title="standup", due_at=due, recurrence="daily")
    )
    tasks.set_completion(session=session, user=user, task_id=task.id, completed=True)
    first = tasks.create_next_occurrence(session=session, user=user, task_id=task.id)
    # A redelivered `completed` event: the unique previous_occurrence_id makes it a no-op.
    assert tasks.create_next_occurrence(session=session, user=user, task_id=task.id) is None
    assert first is not None
    assert first.due_at == datetime(2030, 1, 8, 9, 0, tzinfo=UTC)
    assert first.completed is False
    assert tasks.list_tasks(session=session, user=user, query=TaskQuery()).total == 2


def test_recurrence_without_due_at_is_invalid(session: Session, user: User) -> None:
    # A whole task says so itself (its schema); a patch conflicts with the stored task.
    with pytest.raises(ValidationError, match="needs a due_at"):
        TaskCreate(title="x", recurrence="daily")
    task = tasks.create_task(session=session, user=user, data=TaskCreate(title="x"))
    with pytest.raises(Conflict):
        tasks.update_task(
            session=session, user=user, task_id=task.id, data=TaskUpdate(recurrence="daily")
        )


def test_another_users_task_is_not_found(session: Session, user: User) -> None:
    task = tasks.create_task(session=session, user=user, data=TaskCreate(title="mine"))
    stranger = make_user(session)
    with pytest.raises(NotFound):
        tasks.get_task(session=session, user=stranger, task_id=task.id)
    with pytest.raises(NotFound):
        tasks.delete_task(session=session, user=stranger, task_id=task.id)
    assert tasks.get_task(session=session, user=user, task_id=task.id).title == "mine"


def test_list_tasks_filters_by_status_and_counts_before_paging(
    session: Session, user: User
) -> None:
    for title in ("one", "two", "three"):
        tasks.create_task(session=session, user=user, data=TaskCreate(title=title))
    done = tasks.list_tasks(session=session, user=user, query=TaskQuery(limit=1))
    tasks.set_completion(session=session, user=user, task_id=done.tasks[0].id, completed=True)
    page = tasks.list_tasks(session=session, user=user, query=TaskQuery(status="open", limit=1))
    assert page.total == 2
    assert len(page.tasks) == 1
    assert page.tasks[0].completed is False
