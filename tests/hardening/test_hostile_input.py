"""Hostile input: out-of-range integers, NUL characters, reused ids, wrong methods.

Bad input is a 4xx naming the field, never a 500, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.utils.users import create_task, signup

# Past PostgreSQL's INTEGER (2^31 - 1), past SQLite's INTEGER (2^63 - 1), and far below.
HUGE = [2**31, 2**63, -(2**63) - 1]
NUL = "bad\x00value"


@pytest.mark.parametrize("number", HUGE)
def test_out_of_range_path_ids_are_422(client: TestClient, number: int) -> None:
    user = signup(client)
    tag = client.post(user.tags_url, json={"name": "x"}, headers=user.headers).json()
    assert tag["id"]
    calls = [
        ("GET", f"{user.tasks_url}/{number}", None),
        ("PUT", f"{user.tasks_url}/{number}", {"title": "t"}),
        ("PATCH", f"{user.tasks_url}/{number}", {"title": "t"}),
        ("PATCH", f"{user.tasks_url}/{number}/complete", None),
        ("DELETE", f"{user.tasks_url}/{number}", None),
        ("PATCH", f"{user.tags_url}/{number}", {"name": "y"}),
        ("DELETE", f"{user.tags_url}/{number}", None),
        ("POST", f"/api/{user.id}/notifications/{number}/read", None),
    ]
    for method, url, body in calls:
        response = client.request(method, url, json=body, headers=user.headers)
        assert response.status_code == 422, f"{method} {url}: {response.status_code}"


@pytest.mark.parametrize("user_id", ["0", "not-a-uuid", "%5B%5D", "null"])
def test_malformed_user_id_in_path_is_422_even_with_a_real_task_id(
    client: TestClient, user_id: str
) -> None:
    # The schemathesis run pins user_id and so never sends these (tests/hardening/schemathesis_hooks.py).
    user = signup(client)
    task = create_task(client, user, title="t")
    for method in ("GET", "DELETE"):
        url = f"/api/{user_id}/tasks/{task['id']}"
        response = client.request(method, url, headers=user.headers)
        assert response.status_code == 422, f"{method} {url}: {response.status_code}"
        assert response.json()["detail"][0]["field"] == "user_id"


@pytest.mark.parametrize("number", HUGE)
def test_out_of_range_query_integers_are_422(client: TestClient, number: int) -> None:
    user = signup(client)
    for url in (
        f"{user.tasks_url}?offset={number}",
        f"/api/{user.id}/activity?offset={number}",
        f"/api/{user.id}/activity?task_id={number}",
        f"/api/{user.id}/notifications?offset={number}",
    ):
        response = client.get(url, headers=user.headers)
        assert response.status_code == 422, f"{url}: {response.status_code}"


def test_nul_in_any_task_or_tag_string_is_422(client: TestClient) -> None:
    user = signup(client)
    task = create_task(client, user, title="plain")
    bodies = [
        ("POST", user.tasks_url, {"title": NUL}),
        ("POST", user.tasks_url, {"title": "t", "description": NUL}),
        ("POST", user.tasks_url, {"title": "t", "tags": [NUL]}),
        ("PATCH", f"{user.tasks_url}/{task['id']}", {"title": NUL}),
        ("PUT", f"{user.tasks_url}/{task['id']}", {"title": "t", "description": NUL}),
        ("POST", user.tags_url, {"name": NUL}),
        ("PATCH", f"/api/{user.id}/profile", {"name": NUL}),
    ]
    for method, url, body in bodies:
        response = client.request(method, url, json=body, headers=user.headers)
        assert response.status_code == 422, f"{method} {url} {body}: {response.status_code}"
    for query in ({"q": NUL}, {"tag": NUL}, {"sort": NUL}):
        response = client.get(user.tasks_url, params=query, headers=user.headers)
        assert response.status_code == 422, f"{query}: {response.status_code}"


def test_nul_in_sign_up_or_log_in_is_422(client: TestClient) -> None:
    for body in (
        {"email": "nul@example.com", "password": "long-enough-1", "name": NUL},
        {"email": "nul2@example.com", "password": "long-enough-1", "name": "N", "timezone": NUL},
        {"email": "nul3@example.com", "password": f"long-{NUL}", "name": "N"},
    ):
        response = client.post("/api/auth/signup", json=body)
        assert response.status_code == 422, f"{body}: {response.status_code}"
    response = client.post("/api/auth/login", json={"email": "a@example.com", "password": NUL})
    assert response.status_code == 422


def test_deleted_task_id_is_never_reused(client: TestClient) -> None:
    user = signup(client)
    first = create_task(client, user, title="first")
    last = create_task(client, user, title="last")
    assert client.delete(f"{user.tasks_url}/{last['id']}", headers=user.headers).status_code == 204
    again = create_task(client, user, title="again")
    assert again["id"] > last["id"] > first["id"]
    gone = client.get(f"{user.tasks_url}/{last['id']}", headers=user.headers)
    assert gone.status_code == 404


def test_wrong_method_is_405_with_every_allowed_method(client: TestClient) -> None:
    user = signup(client)
    response = client.delete(user.tasks_url, headers=user.headers)
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "POST"} <= allowed and "DELETE" not in allowed
    task = create_task(client, user)
    response = client.post(f"{user.tasks_url}/{task['id']}", headers=user.headers)
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "PUT", "PATCH", "DELETE"} <= allowed and "POST" not in allowed


def test_import_of_a_field_past_the_csv_limit_is_422(client: TestClient) -> None:
    user = signup(client)
    body = "CONTENT\n" + '"' + "x" * 200_000 + '"\n'
    response = client.post(
        f"/api/{user.id}/import/todoist",
        content=body.encode(),
        headers={**user.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422, response.text
    assert "not a readable CSV file" in response.json()["message"]
    assert client.get(user.tasks_url, headers=user.headers).json() == []
