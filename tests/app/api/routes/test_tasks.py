from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.users import AuthedUser, create_task, signup


@pytest.fixture
def user(client: TestClient) -> AuthedUser:
    return signup(client, timezone="Europe/Berlin")


def test_create_task_defaults(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user, title="  Buy milk  ")
    assert task["title"] == "Buy milk"
    assert task["priority"] == "P4"
    assert task["completed"] is False and task["completed_at"] is None
    assert task["tags"] == [] and task["due_at"] is None
    assert task["description"] == ""


def test_create_task_all_fields(client: TestClient, user: AuthedUser) -> None:
    task = create_task(
        client,
        user,
        title="Dentist",
        description="bring card",
        priority="p1",
        tags=["#health", "Health", "errands"],
        due_at="2026-12-01T15:00:00+01:00",
        recurrence="FREQ=MONTHLY;BYMONTHDAY=1",
        remind_before_minutes=30,
    )
    assert task["priority"] == "P1"
    assert task["tags"] == ["errands", "health"]
    assert task["due_at"] == "2026-12-01T14:00:00Z"
    assert task["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1"
    assert task["remind_before_minutes"] == 30 and task["reminder_sent"] is False


def test_create_task_naive_due_is_read_in_user_timezone(
    client: TestClient, user: AuthedUser
) -> None:
    summer = create_task(client, user, due_at="2026-07-01T09:00:00")
    winter = create_task(client, user, due_at="2026-12-01T09:00:00")
    assert summer["due_at"] == "2026-07-01T07:00:00Z"  # CEST
    assert winter["due_at"] == "2026-12-01T08:00:00Z"  # CET


def test_create_task_due_in_dst_gap_is_422(client: TestClient, user: AuthedUser) -> None:
    response = client.post(
        user.tasks_url, json={"title": "x", "due_at": "2026-03-29T02:30:00"}, headers=user.headers
    )
    assert response.status_code == 422
    assert response.json()["field"] == "due_at"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": "ok", "description": "d" * 10_001}, "description"),
        ({"title": "ok", "priority": "P5"}, "priority"),
        ({"title": "ok", "priority": "urgent"}, "priority"),
        (
            {"title": "ok", "recurrence": "FREQ=SOMETIMES", "due_at": "2026-12-01T09:00:00Z"},
            "recurrence",
        ),
        (
            {"title": "ok", "recurrence": "61 * * * *", "due_at": "2026-12-01T09:00:00Z"},
            "recurrence",
        ),
        ({"title": "ok", "remind_before_minutes": -1}, "remind_before_minutes"),
        ({"title": "ok", "remind_before_minutes": 40_321}, "remind_before_minutes"),
        ({"title": "ok", "due_at": "next tuesday"}, "due_at"),
        ({"title": "ok", "tags": ["a,b"]}, "tags.0"),
        ({"title": "ok", "tags": ["x" * 51]}, "tags.0"),
        ({"title": "ok", "tags": [" # "]}, "tags.0"),
        ({"title": "\x1c"}, "title"),
        ({"title": "ok", "colour": "red"}, "colour"),
        ({}, "title"),
    ],
)
def test_create_task_invalid_input_names_field(
    client: TestClient, user: AuthedUser, body: dict[str, Any], field: str
) -> None:
    response = client.post(user.tasks_url, json=body, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == field


def test_create_task_title_at_limit_is_accepted(client: TestClient, user: AuthedUser) -> None:
    assert len(create_task(client, user, title="x" * 500)["title"]) == 500


def test_create_recurring_task_without_due_is_422(client: TestClient, user: AuthedUser) -> None:
    response = client.post(
        user.tasks_url, json={"title": "x", "recurrence": "daily"}, headers=user.headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "recurrence"


def test_patch_recurrence_onto_undated_task_is_409(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user)
    response = client.patch(
        f"{user.tasks_url}/{task['id']}", json={"recurrence": "daily"}, headers=user.headers
    )
    assert response.status_code == 409
    assert "needs a due_at" in response.json()["message"]


def test_create_task_malformed_json_is_422(client: TestClient, user: AuthedUser) -> None:
    response = client.post(
        user.tasks_url,
        content=b"{not json",
        headers={**user.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_read_task(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user)
    response = client.get(f"{user.tasks_url}/{task['id']}", headers=user.headers)
    assert response.status_code == 200 and response.json() == task


def test_read_missing_task_is_404(client: TestClient, user: AuthedUser) -> None:
    assert client.get(f"{user.tasks_url}/999999", headers=user.headers).status_code == 404


def test_read_task_non_integer_id_is_422(client: TestClient, user: AuthedUser) -> None:
    assert client.get(f"{user.tasks_url}/abc", headers=user.headers).status_code == 422


def test_patch_changes_only_given_fields(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user, title="a", description="keep", priority="P2", tags=["x"])
    response = client.patch(
        f"{user.tasks_url}/{task['id']}", json={"title": "b"}, headers=user.headers
    )
    body = response.json()
    assert body["title"] == "b" and body["description"] == "keep"
    assert body["priority"] == "P2" and body["tags"] == ["x"]
    assert body["updated_at"] > task["updated_at"]


def test_patch_null_clears_due_and_recurrence(client: TestClient, user: AuthedUser) -> None:
    task = create_task(
        client, user, due_at="2026-12-01T09:00:00Z", recurrence="daily", remind_before_minutes=5
    )
    url = f"{user.tasks_url}/{task['id']}"
    response = client.patch(
        url,
        json={"due_at": None, "recurrence": None, "remind_before_minutes": None},
        headers=user.headers,
    )
    body = response.json()
    assert (
        body["due_at"] is None
        and body["recurrence"] is None
        and body["remind_before_minutes"] is None
    )


def test_patch_clearing_due_of_recurring_task_is_409(client: TestClient, user: AuthedUser) -> None:
    # The patch is valid on its own; it conflicts with the stored task's recurrence.
    task = create_task(client, user, due_at="2026-12-01T09:00:00Z", recurrence="daily")
    response = client.patch(
        f"{user.tasks_url}/{task['id']}", json={"due_at": None}, headers=user.headers
    )
    assert response.status_code == 409
    unchanged = client.get(f"{user.tasks_url}/{task['id']}", headers=user.headers).json()
    assert unchanged["due_at"] == "2026-12-01T09:00:00Z"


@pytest.mark.parametrize("field", ["title", "priority", "tags", "completed"])
def test_patch_null_on_required_field_is_422(
    client: TestClient, user: AuthedUser, field: str
) -> None:
    task = create_task(client, user)
    response = client.patch(
        f"{user.tasks_url}/{task['id']}", json={field: None}, headers=user.headers
    )
    assert response.status_code == 422
    assert field in response.json()["message"]


def test_patch_tags_replaces_set_and_creates_unknown(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user, tags=["a", "b"])
    body = client.patch(
        f"{user.tasks_url}/{task['id']}", json={"tags": ["B", "c"]}, headers=user.headers
    ).json()
    assert body["tags"] == ["b", "c"]
    names = {t["name"] for t in client.get(user.tags_url, headers=user.headers).json()}
    assert names == {"a", "b", "c"}


def test_patch_due_resets_reminder_sent(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user, due_at="2026-12-01T09:00:00Z", remind_before_minutes=10)
    body = client.patch(
        f"{user.tasks_url}/{task['id']}",
        json={"due_at": "2026-12-02T09:00:00Z"},
        headers=user.headers,
    ).json()
    assert body["reminder_sent"] is False and body["due_at"] == "2026-12-02T09:00:00Z"


def test_put_replaces_every_field(client: TestClient, user: AuthedUser) -> None:
    task = create_task(
        client,
        user,
        title="a",
        description="d",
        priority="P1",
        tags=["x"],
        due_at="2026-12-01T09:00:00Z",
    )
    response = client.put(
        f"{user.tasks_url}/{task['id']}", json={"title": "new"}, headers=user.headers
    )
    body = response.json()
    assert response.status_code == 200
    assert body["title"] == "new" and body["description"] == "" and body["priority"] == "P4"
    assert body["tags"] == [] and body["due_at"] is None


def test_put_without_title_is_422(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user)
    assert (
        client.put(
            f"{user.tasks_url}/{task['id']}", json={"priority": "P1"}, headers=user.headers
        ).status_code
        == 422
    )


def test_complete_without_body_toggles(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user)
    url = f"{user.tasks_url}/{task['id']}/complete"
    done = client.patch(url, headers=user.headers).json()
    assert done["completed"] is True and done["completed_at"] is not None
    reopened = client.patch(url, headers=user.headers).json()
    assert reopened["completed"] is False and reopened["completed_at"] is None


def test_complete_with_body_sets_and_is_idempotent(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user)
    url = f"{user.tasks_url}/{task['id']}/complete"
    first = client.patch(url, json={"completed": True}, headers=user.headers).json()
    second = client.patch(url, json={"completed": True}, headers=user.headers).json()
    assert first["completed"] is second["completed"] is True
    assert first["completed_at"] == second["completed_at"]


def test_complete_with_bad_body_is_422(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user)
    response = client.patch(
        f"{user.tasks_url}/{task['id']}/complete", json={"completed": "maybe"}, headers=user.headers
    )
    assert response.status_code == 422


def test_delete_task_then_404(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user, tags=["x"])
    url = f"{user.tasks_url}/{task['id']}"
    assert client.delete(url, headers=user.headers).status_code == 204
    assert client.get(url, headers=user.headers).status_code == 404
    assert client.delete(url, headers=user.headers).status_code == 404
    tags = client.get(user.tags_url, headers=user.headers).json()
    assert tags[0]["task_count"] == 0
