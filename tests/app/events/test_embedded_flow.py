"""The embedded default: API, relay and all four consumers in one process, no broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.websockets import WebSocketDisconnect

from app.models.outbox import OutboxMessage
from tests.conftest import SCHEDULER
from tests.utils.users import AuthedUser, create_task, signup
from tests.utils.waiting import eventually


@pytest.fixture
def user(client: TestClient) -> AuthedUser:
    return signup(client, timezone="Europe/Berlin")


def _activity(client: TestClient, user: AuthedUser, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"/api/{user.id}/activity", params=params, headers=user.headers)
    assert response.status_code == 200
    result: list[dict[str, Any]] = response.json()
    return result


def test_create_task_is_recorded_in_activity_with_only_task_fields(
    client: TestClient, user: AuthedUser
) -> None:
    task = create_task(client, user, title="audit me", priority="P2", tags=["x"])
    entries = eventually(lambda: _activity(client, user, task_id=task["id"]))
    assert entries[0]["event_type"] == "created"
    assert entries[0]["changes"]["title"] == "audit me"
    assert entries[0]["changes"]["tags"] == ["x"]
    assert "email" not in str(entries) and "password" not in str(entries)


def test_update_event_carries_only_changed_fields(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user, title="a", description="keep")
    client.patch(f"{user.tasks_url}/{task['id']}", json={"title": "b"}, headers=user.headers)
    entries = eventually(
        lambda: [e for e in _activity(client, user) if e["event_type"] == "updated"]
    )
    assert entries[0]["changes"] == {"title": "b"}


def test_noop_update_emits_no_event(client: TestClient, user: AuthedUser, engine: Engine) -> None:
    task = create_task(client, user, title="same")
    client.patch(f"{user.tasks_url}/{task['id']}", json={"title": "same"}, headers=user.headers)
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.topic == "task-events")).all()
    assert len(rows) == 1


def test_outbox_rows_are_published(client: TestClient, user: AuthedUser, engine: Engine) -> None:
    create_task(client, user)

    def pending() -> bool:
        with Session(engine) as session:
            return not session.exec(
                select(OutboxMessage).where(col(OutboxMessage.published_at).is_(None))
            ).all()

    eventually(pending)


def test_completing_recurring_task_creates_one_next_occurrence(
    client: TestClient, user: AuthedUser
) -> None:
    task = create_task(
        client, user, title="water plants", due_at="2026-03-28T09:00:00", recurrence="daily"
    )
    client.patch(f"{user.tasks_url}/{task['id']}/complete", headers=user.headers)

    def successors() -> list[dict[str, Any]]:
        tasks = client.get(user.tasks_url, params={"status": "open"}, headers=user.headers).json()
        return [t for t in tasks if t["previous_occurrence_id"] == task["id"]]

    nxt = eventually(successors)
    assert len(nxt) == 1
    # 09:00 Berlin on both sides of the DST change (29 March 2026).
    assert nxt[0]["due_at"] == "2026-03-29T07:00:00Z"
    assert nxt[0]["recurrence"] == "FREQ=DAILY" and nxt[0]["title"] == "water plants"
    # Reopening and completing again must not create a second successor.
    client.patch(f"{user.tasks_url}/{task['id']}/complete", headers=user.headers)
    client.patch(f"{user.tasks_url}/{task['id']}/complete", headers=user.headers)
    eventually(lambda: len(_activity(client, user, task_id=task["id"])) >= 4)
    assert len(successors()) == 1


def test_due_reminder_fires_once_and_is_listed(
    client: TestClient, user: AuthedUser, app: FastAPI
) -> None:
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    task = create_task(client, user, title="call bob", due_at=soon, remind_before_minutes=10)
    assert client.post("/reminder-check", headers=SCHEDULER).json() == {"fired": 1}
    assert client.post("/reminder-check", headers=SCHEDULER).json() == {"fired": 0}

    def notifications() -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = client.get(
            f"/api/{user.id}/notifications", headers=user.headers
        ).json()
        return result

    items = eventually(notifications)
    assert (
        len(items) == 1 and items[0]["task_id"] == task["id"] and "call bob" in items[0]["message"]
    )
    got = client.get(f"{user.tasks_url}/{task['id']}", headers=user.headers).json()
    assert got["reminder_sent"] is True
    read = client.post(f"/api/{user.id}/notifications/{items[0]['id']}/read", headers=user.headers)
    assert read.json()["read_at"] is not None


def test_completed_task_reminder_never_fires(client: TestClient, user: AuthedUser) -> None:
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    task = create_task(client, user, due_at=soon, remind_before_minutes=10)
    client.patch(f"{user.tasks_url}/{task['id']}/complete", headers=user.headers)
    assert client.post("/reminder-check", headers=SCHEDULER).json() == {"fired": 0}


def test_websocket_pushes_own_updates_only(client: TestClient) -> None:
    ann, bob = signup(client), signup(client)
    with (
        client.websocket_connect(f"/api/{ann.id}/updates?token={ann.token}") as ann_ws,
        client.websocket_connect(f"/api/{bob.id}/updates?token={bob.token}") as bob_ws,
    ):
        task = create_task(client, ann, title="live")
        message = ann_ws.receive_json()
        assert message["event_type"] == "created" and message["task_id"] == task["id"]
        bob_task = create_task(client, bob, title="bob's")
        assert bob_ws.receive_json()["task_id"] == bob_task["id"]


@pytest.mark.parametrize("suffix", ["", "?token=garbage"])
def test_websocket_without_valid_token_is_refused(client: TestClient, suffix: str) -> None:
    ann = signup(client)
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(f"/api/{ann.id}/updates{suffix}") as ws,
    ):
        ws.receive_json()


def test_websocket_for_other_user_is_refused(client: TestClient) -> None:
    ann, bob = signup(client), signup(client)
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(f"/api/{bob.id}/updates?token={ann.token}") as ws,
    ):
        ws.receive_json()


def test_activity_and_notifications_are_private(client: TestClient) -> None:
    ann, bob = signup(client), signup(client)
    create_task(client, ann)
    assert client.get(f"/api/{ann.id}/activity", headers=bob.headers).status_code == 403
    assert client.get(f"/api/{ann.id}/notifications", headers=bob.headers).status_code == 403
    assert (
        client.post(f"/api/{bob.id}/notifications/1/read", headers=bob.headers).status_code == 404
    )
