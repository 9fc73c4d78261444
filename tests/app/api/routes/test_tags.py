from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.utils.users import AuthedUser, create_task, signup


@pytest.fixture
def user(client: TestClient) -> AuthedUser:
    return signup(client)


def test_create_and_list_tags_with_counts(client: TestClient, user: AuthedUser) -> None:
    created = client.post(user.tags_url, json={"name": "#Work"}, headers=user.headers)
    assert created.status_code == 201 and created.json()["name"] == "Work"
    create_task(client, user, tags=["work"])
    create_task(client, user, tags=["WORK", "home"])
    tags = {
        t["name"]: t["task_count"] for t in client.get(user.tags_url, headers=user.headers).json()
    }
    assert tags == {"Work": 2, "home": 1}


def test_create_tag_duplicate_any_case_conflicts(client: TestClient, user: AuthedUser) -> None:
    client.post(user.tags_url, json={"name": "work"}, headers=user.headers)
    response = client.post(user.tags_url, json={"name": "WORK"}, headers=user.headers)
    assert response.status_code == 409


@pytest.mark.parametrize("name", ["", "  ", "#", "a,b", "x" * 51])
def test_create_tag_invalid_name_is_422(client: TestClient, user: AuthedUser, name: str) -> None:
    response = client.post(user.tags_url, json={"name": name}, headers=user.headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "name"


def test_rename_tag_shows_on_tasks(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user, tags=["wrk"])
    tag = client.get(user.tags_url, headers=user.headers).json()[0]
    renamed = client.patch(
        f"{user.tags_url}/{tag['id']}", json={"name": "Work"}, headers=user.headers
    )
    assert renamed.json() == {**tag, "name": "Work"}
    assert client.get(f"{user.tasks_url}/{task['id']}", headers=user.headers).json()["tags"] == [
        "Work"
    ]


def test_rename_tag_case_only_is_allowed(client: TestClient, user: AuthedUser) -> None:
    tag = client.post(user.tags_url, json={"name": "work"}, headers=user.headers).json()
    response = client.patch(
        f"{user.tags_url}/{tag['id']}", json={"name": "Work"}, headers=user.headers
    )
    assert response.status_code == 200 and response.json()["name"] == "Work"


def test_rename_tag_onto_existing_name_conflicts(client: TestClient, user: AuthedUser) -> None:
    client.post(user.tags_url, json={"name": "home"}, headers=user.headers)
    other = client.post(user.tags_url, json={"name": "work"}, headers=user.headers).json()
    response = client.patch(
        f"{user.tags_url}/{other['id']}", json={"name": "HOME"}, headers=user.headers
    )
    assert response.status_code == 409


def test_delete_tag_removes_it_from_tasks(client: TestClient, user: AuthedUser) -> None:
    task = create_task(client, user, tags=["gone", "kept"])
    gone = next(
        t for t in client.get(user.tags_url, headers=user.headers).json() if t["name"] == "gone"
    )
    assert client.delete(f"{user.tags_url}/{gone['id']}", headers=user.headers).status_code == 204
    assert client.get(f"{user.tasks_url}/{task['id']}", headers=user.headers).json()["tags"] == [
        "kept"
    ]
    assert client.delete(f"{user.tags_url}/{gone['id']}", headers=user.headers).status_code == 404


def test_missing_tag_is_404(client: TestClient, user: AuthedUser) -> None:
    assert (
        client.patch(
            f"{user.tags_url}/424242", json={"name": "x"}, headers=user.headers
        ).status_code
        == 404
    )
