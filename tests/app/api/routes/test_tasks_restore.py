"""Delete is a soft delete: the task vanishes everywhere and POST .../restore brings it back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models.outbox import OutboxMessage
from app.services import tasks
from tests.conftest import SCHEDULER
from tests.utils.users import AuthedUser, create_task, signup
from tests.utils.waiting import eventually


@pytest.fixture
def user(client: TestClient) -> AuthedUser:
    return signup(client, timezone="Europe/Berlin")


def _listed(client: TestClient, user: AuthedUser, **params: Any) -> tuple[list[int], int]:
    response = client.get(user.tasks_url, params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()], int(response.headers["X-Total-Count"])


def _tag_counts(client: TestClient, user: AuthedUser) -> dict[str, int]:
    tags = client.get(user.tags_url, headers=user.headers).json()
    return {t["name"]: t["task_count"] for t in tags}


def _delete(client: TestClient, user: AuthedUser, task_id: int) -> None:
    assert client.delete(f"{user.tasks_url}/{task_id}", headers=user.headers).status_code == 204


def _restore(client: TestClient, user: AuthedUser, task_id: int) -> Any:
    return client.post(f"{user.tasks_url}/{task_id}/restore", headers=user.headers)


def _events(engine: Engine, task_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    found = []
    for row in rows:
        data = json.loads(row.payload)["data"]
        if data["task_id"] == task_id:
            found.append((row.topic, data["event_type"], data))
    return found


def test_deleted_task_vanishes_from_get_listing_search_counts_and_tags(
    client: TestClient, user: AuthedUser
) -> None:
    kept = create_task(client, user, title="kept milk", tags=["home"])
    gone = create_task(client, user, title="gone milk", tags=["home", "work"])
    _delete(client, user, gone["id"])

    assert client.get(f"{user.tasks_url}/{gone['id']}", headers=user.headers).status_code == 404
    assert _listed(client, user) == ([kept["id"]], 1)
    assert _listed(client, user, q="milk") == ([kept["id"]], 1)
    assert _listed(client, user, tag="work") == ([], 0)
    # A page of one still counts the rest: the count skips the deleted task too.
    assert _listed(client, user, limit=1)[1] == 1
    assert _tag_counts(client, user) == {"home": 1, "work": 0}
    patch = client.patch(
        f"{user.tasks_url}/{gone['id']}", json={"title": "x"}, headers=user.headers
    )
    assert patch.status_code == 404
    complete = client.patch(f"{user.tasks_url}/{gone['id']}/complete", headers=user.headers)
    assert complete.status_code == 404


def test_deleted_task_is_not_exported(client: TestClient, user: AuthedUser) -> None:
    create_task(client, user, title="exported")
    gone = create_task(client, user, title="not exported")
    _delete(client, user, gone["id"])
    body = client.get(f"/api/{user.id}/export", params={"format": "json"}, headers=user.headers)
    assert [t["title"] for t in body.json()["tasks"]] == ["exported"]


def test_restore_brings_the_task_back_as_it_was(client: TestClient, user: AuthedUser) -> None:
    task = create_task(
        client,
        user,
        title="dentist",
        tags=["health"],
        priority="P1",
        due_at="2026-12-01T09:00:00",
        recurrence="weekly",
        remind_before_minutes=30,
    )
    _delete(client, user, task["id"])
    restored = _restore(client, user, task["id"])
    assert restored.status_code == 200, restored.text
    assert restored.json() == task
    assert client.get(f"{user.tasks_url}/{task['id']}", headers=user.headers).json() == task
    assert _listed(client, user) == ([task["id"]], 1)
    assert _tag_counts(client, user) == {"health": 1}


def test_restore_of_a_live_task_is_409(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user)
    response = _restore(client, user, task["id"])
    assert response.status_code == 409
    assert response.json()["message"] == f"task {task['id']} is not deleted"
    _delete(client, user, task["id"])
    assert _restore(client, user, task["id"]).status_code == 200
    assert _restore(client, user, task["id"]).status_code == 409


def test_restore_of_unknown_or_long_deleted_task_is_404(
    client: TestClient, user: AuthedUser, engine: Engine
) -> None:
    assert _restore(client, user, 999_999).status_code == 404
    task = create_task(client, user)
    _delete(client, user, task["id"])
    long_ago = datetime.now(UTC) - tasks.RESTORE_WINDOW - timedelta(minutes=1)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE tasks SET deleted_at = :at WHERE id = :id"),
            {
                "at": long_ago.replace(tzinfo=None)
                if engine.dialect.name == "sqlite"
                else long_ago,
                "id": task["id"],
            },
        )
    response = _restore(client, user, task["id"])
    assert response.status_code == 404
    assert response.json()["message"] == f"task {task['id']} not found"


def test_purge_removes_only_tasks_deleted_before_the_window(
    client: TestClient, user: AuthedUser, engine: Engine
) -> None:
    live, recent = create_task(client, user), create_task(client, user)
    _delete(client, user, recent["id"])
    with Session(engine) as session:
        assert tasks.purge_deleted_tasks(session=session) == 0
        later = datetime.now(UTC) + tasks.RESTORE_WINDOW + timedelta(minutes=1)
        assert tasks.purge_deleted_tasks(session=session, now=later) == 1
    assert _restore(client, user, recent["id"]).status_code == 404
    assert client.get(f"{user.tasks_url}/{live['id']}", headers=user.headers).status_code == 200


def test_another_users_task_cannot_be_restored(client: TestClient, user: AuthedUser) -> None:
    other = signup(client)
    theirs = create_task(client, other)
    _delete(client, other, theirs["id"])
    # Their id under my path: not among my tasks.
    assert _restore(client, user, theirs["id"]).status_code == 404
    # My token on their path: not my account.
    response = client.post(f"{other.tasks_url}/{theirs['id']}/restore", headers=user.headers)
    assert response.status_code == 403
    assert _restore(client, other, theirs["id"]).status_code == 200


def test_delete_and_restore_emit_events_and_move_the_reminder(
    client: TestClient, user: AuthedUser, engine: Engine
) -> None:
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    task = create_task(client, user, title="call", due_at=due, remind_before_minutes=15)
    _delete(client, user, task["id"])
    _restore(client, user, task["id"])
    kinds = [(topic, kind) for topic, kind, _ in _events(engine, task["id"])]
    assert kinds == [
        ("task-events", "created"),
        ("task-updates", "created"),
        ("reminders", "scheduled"),
        ("task-events", "deleted"),
        ("task-updates", "deleted"),
        ("reminders", "cancelled"),
        ("task-events", "restored"),
        ("task-updates", "restored"),
        ("reminders", "scheduled"),
    ]
    restored = _events(engine, task["id"])[6][2]
    assert restored["changes"]["title"] == "call"
    assert restored["changes"]["remind_before_minutes"] == 15


def test_reminder_of_a_deleted_task_does_not_fire(client: TestClient, user: AuthedUser) -> None:
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    task = create_task(client, user, title="call", due_at=soon, remind_before_minutes=10)
    _delete(client, user, task["id"])
    assert client.post("/reminder-check", headers=SCHEDULER).json() == {"fired": 0}
    _restore(client, user, task["id"])
    assert client.post("/reminder-check", headers=SCHEDULER).json() == {"fired": 1}


def test_restored_task_shows_in_activity(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user)
    _delete(client, user, task["id"])
    _restore(client, user, task["id"])

    def kinds() -> list[str]:
        entries = client.get(
            f"/api/{user.id}/activity", params={"task_id": task["id"]}, headers=user.headers
        ).json()
        found = sorted(e["event_type"] for e in entries)
        return found if len(found) == 3 else []

    assert eventually(kinds) == ["created", "deleted", "restored"]


def _open_successors(client: TestClient, user: AuthedUser, task_id: int) -> list[dict[str, Any]]:
    listed = client.get(user.tasks_url, params={"status": "open"}, headers=user.headers).json()
    return [t for t in listed if t["previous_occurrence_id"] == task_id]


def _completed_series(
    client: TestClient, user: AuthedUser
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """A daily task completed once: the task, its completion URL, and the next occurrence."""
    task = create_task(
        client, user, title="water", due_at="2026-12-01T09:00:00", recurrence="daily"
    )
    url = f"{user.tasks_url}/{task['id']}/complete"
    client.patch(url, json={"completed": True}, headers=user.headers)
    return task, url, eventually(lambda: _open_successors(client, user, task["id"]))[0]


def test_reopening_a_recurring_occurrence_withdraws_its_open_successor(
    client: TestClient, user: AuthedUser
) -> None:
    task, url, successor = _completed_series(client, user)

    # Undo of the completion: the series is back to one open occurrence.
    client.patch(url, json={"completed": False}, headers=user.headers)
    assert _listed(client, user, status="open") == ([task["id"]], 1)
    assert (
        client.get(f"{user.tasks_url}/{successor['id']}", headers=user.headers).status_code == 404
    )

    # Completing again brings the same occurrence back at once; the consumer adds none.
    client.patch(url, json={"completed": True}, headers=user.headers)
    assert [t["id"] for t in _open_successors(client, user, task["id"])] == [successor["id"]]
    # Once the second completion's events are through the consumers, still one successor.
    eventually(
        lambda: (
            len(
                client.get(
                    f"/api/{user.id}/activity",
                    params={"task_id": task["id"]},
                    headers=user.headers,
                ).json()
            )
            >= 4
        )
    )
    assert len(_open_successors(client, user, task["id"])) == 1


def test_reopening_keeps_a_successor_already_completed(
    client: TestClient, user: AuthedUser
) -> None:
    _, url, successor = _completed_series(client, user)
    client.patch(
        f"{user.tasks_url}/{successor['id']}/complete",
        json={"completed": True},
        headers=user.headers,
    )
    client.patch(url, json={"completed": False}, headers=user.headers)
    kept = client.get(f"{user.tasks_url}/{successor['id']}", headers=user.headers)
    assert kept.status_code == 200 and kept.json()["completed"] is True
