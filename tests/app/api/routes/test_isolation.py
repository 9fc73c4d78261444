"""Two users, every endpoint: nobody reads or changes another user's data."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.users import AuthedUser, create_task, signup


@pytest.fixture
def owner(client: TestClient) -> AuthedUser:
    return signup(client)


@pytest.fixture
def intruder(client: TestClient) -> AuthedUser:
    return signup(client)


def _task_and_tag(client: TestClient, owner: AuthedUser) -> tuple[dict[str, Any], dict[str, Any]]:
    task = create_task(client, owner, title="secret plan", tags=["private"])
    tag = client.get(owner.tags_url, headers=owner.headers).json()[0]
    return task, tag


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("GET", "/tasks"),
        ("POST", "/tasks"),
        ("GET", "/tasks/{task}"),
        ("PUT", "/tasks/{task}"),
        ("PATCH", "/tasks/{task}"),
        ("DELETE", "/tasks/{task}"),
        ("PATCH", "/tasks/{task}/complete"),
        ("GET", "/tags"),
        ("POST", "/tags"),
        ("PATCH", "/tags/{tag}"),
        ("DELETE", "/tags/{tag}"),
        ("GET", "/profile"),
        ("PATCH", "/profile"),
    ],
)
def test_other_users_path_is_forbidden_and_unauthenticated_is_401(
    client: TestClient, owner: AuthedUser, intruder: AuthedUser, method: str, suffix: str
) -> None:
    task, tag = _task_and_tag(client, owner)
    path = f"/api/{owner.id}" + suffix.format(task=task["id"], tag=tag["id"])
    body = {"title": "x", "name": "x"}
    json = body if method in ("POST", "PUT", "PATCH") and not suffix.endswith("complete") else None
    forbidden = client.request(method, path, json=json, headers=intruder.headers)
    assert forbidden.status_code == 403
    assert "secret plan" not in forbidden.text
    assert client.request(method, path, json=json).status_code == 401


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("GET", "/tasks/{task}"),
        ("PUT", "/tasks/{task}"),
        ("PATCH", "/tasks/{task}"),
        ("DELETE", "/tasks/{task}"),
        ("PATCH", "/tasks/{task}/complete"),
        ("PATCH", "/tags/{tag}"),
        ("DELETE", "/tags/{tag}"),
    ],
)
def test_other_users_ids_under_own_path_are_404(
    client: TestClient, owner: AuthedUser, intruder: AuthedUser, method: str, suffix: str
) -> None:
    task, tag = _task_and_tag(client, owner)
    path = f"/api/{intruder.id}" + suffix.format(task=task["id"], tag=tag["id"])
    # Bodies refuse unknown fields, so each resource gets its own.
    body = {"title": "x"} if suffix.startswith("/tasks") else {"name": "x"}
    json = body if method in ("PUT", "PATCH") and "complete" not in suffix else None
    response = client.request(method, path, json=json, headers=intruder.headers)
    assert response.status_code == 404
    assert "secret plan" not in response.text
    unchanged = client.get(f"{owner.tasks_url}/{task['id']}", headers=owner.headers).json()
    assert unchanged == task


def test_listing_search_and_tags_never_show_other_users_data(
    client: TestClient, owner: AuthedUser, intruder: AuthedUser
) -> None:
    _task_and_tag(client, owner)
    response = client.get(
        intruder.tasks_url, params={"q": "secret", "tag": "private"}, headers=intruder.headers
    )
    assert response.json() == [] and response.headers["X-Total-Count"] == "0"
    assert client.get(intruder.tags_url, headers=intruder.headers).json() == []


def test_same_tag_name_is_separate_per_user(
    client: TestClient, owner: AuthedUser, intruder: AuthedUser
) -> None:
    create_task(client, owner, tags=["shared"])
    create_task(client, intruder, tags=["Shared"])
    for user in (owner, intruder):
        tags = client.get(user.tags_url, headers=user.headers).json()
        assert [t["task_count"] for t in tags] == [1]
