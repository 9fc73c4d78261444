"""Saved views: named task filters per user, validated by the listing's own schema."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.models.saved_view import VIEW_NAME_MAX, VIEWS_PER_USER_MAX
from tests.utils.users import AuthedUser, create_task, signup


@pytest.fixture
def user(client: TestClient) -> AuthedUser:
    return signup(client, timezone="Europe/Berlin")


def _url(user: AuthedUser) -> str:
    return f"/api/{user.id}/views"


def _create(client: TestClient, user: AuthedUser, **body: Any) -> Any:
    return client.post(_url(user), json=body, headers=user.headers)


def test_create_list_rename_change_and_delete_a_view(client: TestClient, user: AuthedUser) -> None:
    created = _create(
        client,
        user,
        name="  Work this week ",
        filters={
            "q": " report ",
            "priority": ["p1", "P2"],
            "tag": ["work"],
            "status": "open",
            "due_before": "2026-12-07T23:59:59",
            "sort": "due_at",
        },
    )
    assert created.status_code == 201, created.text
    view = created.json()
    assert view["name"] == "Work this week"
    assert view["filters"]["q"] == "report"
    assert view["filters"]["priority"] == ["P1", "P2"]
    assert view["filters"]["tag_mode"] == "any"  # defaults are filled in on the way out
    assert client.get(_url(user), headers=user.headers).json() == [view]

    renamed = client.patch(
        f"{_url(user)}/{view['id']}", json={"name": "Work"}, headers=user.headers
    )
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Work" and renamed.json()["filters"] == view["filters"]
    changed = client.patch(
        f"{_url(user)}/{view['id']}",
        json={"filters": {"status": "completed"}},
        headers=user.headers,
    )
    assert changed.json()["filters"]["status"] == "completed"
    assert changed.json()["filters"]["priority"] == []  # the filter is replaced, not merged

    assert client.delete(f"{_url(user)}/{view['id']}", headers=user.headers).status_code == 204
    assert client.get(_url(user), headers=user.headers).json() == []
    assert client.delete(f"{_url(user)}/{view['id']}", headers=user.headers).status_code == 404


def test_stored_filter_selects_the_same_tasks_as_the_listing(
    client: TestClient, user: AuthedUser
) -> None:
    create_task(client, user, title="urgent", priority="P1", tags=["work"])
    create_task(client, user, title="later", priority="P4", tags=["work"])
    view = _create(client, user, name="Urgent work", filters={"priority": ["P1"], "tag": ["work"]})
    params = view.json()["filters"]
    listed = client.get(
        user.tasks_url,
        params={k: v for k, v in params.items() if v is not None and v != []},
        headers=user.headers,
    )
    assert [t["title"] for t in listed.json()] == ["urgent"]


def test_views_are_listed_by_name(client: TestClient, user: AuthedUser) -> None:
    for name in ("beta", "Alpha", "gamma"):
        _create(client, user, name=name)
    names = [v["name"] for v in client.get(_url(user), headers=user.headers).json()]
    assert names == ["Alpha", "beta", "gamma"]


def test_duplicate_name_in_any_case_is_409(client: TestClient, user: AuthedUser) -> None:
    first = _create(client, user, name="Today").json()
    other = _create(client, user, name="Work").json()
    duplicate = _create(client, user, name="TODAY")
    assert duplicate.status_code == 409
    assert duplicate.json()["message"] == "a view named 'TODAY' already exists"
    clash = client.patch(
        f"{_url(user)}/{other['id']}", json={"name": "today"}, headers=user.headers
    )
    assert clash.status_code == 409
    # Its own name in another case is no clash.
    same = client.patch(f"{_url(user)}/{first['id']}", json={"name": "TODAY"}, headers=user.headers)
    assert same.status_code == 200 and same.json()["name"] == "TODAY"


def test_at_most_the_limit_of_views_per_user(client: TestClient, user: AuthedUser) -> None:
    for number in range(VIEWS_PER_USER_MAX):
        assert _create(client, user, name=f"view {number}").status_code == 201
    over = _create(client, user, name="one more")
    assert over.status_code == 409
    assert over.json()["message"] == f"at most {VIEWS_PER_USER_MAX} saved views; delete one first"
    # The limit is per user.
    assert _create(client, signup(client), name="one more").status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * (VIEW_NAME_MAX + 1)}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({}, "name"),
        ({"name": "v", "filters": {"offset": 20}}, "filters.offset"),
        ({"name": "v", "filters": {"colour": "red"}}, "filters.colour"),
        ({"name": "v", "filters": {"sort": "colour"}}, "filters.sort"),
        ({"name": "v", "filters": {"priority": ["P9"]}}, "filters.priority.0"),
        ({"name": "v", "filters": {"status": "done"}}, "filters.status"),
        ({"name": "v", "filters": {"overdue": "true"}}, "filters"),
        ({"name": "v", "filters": {"has_due": 1}}, "filters"),
        ({"name": "v", "filters": {"due_after": 1764547200}}, "filters.due_after"),
        ({"name": "v", "filters": {"tag": ["x" * 200] * 25}}, "filters"),
        ({"name": "v", "filters": []}, "filters"),
        ({"name": "v", "extra": 1}, "extra"),
    ],
)
def test_bad_view_is_422_naming_the_field(
    client: TestClient, user: AuthedUser, body: dict[str, Any], field: str
) -> None:
    response = client.post(_url(user), json=body, headers=user.headers)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["detail"]]


def test_patch_with_null_or_unknown_id_is_refused(client: TestClient, user: AuthedUser) -> None:
    view = _create(client, user, name="v").json()
    null = client.patch(f"{_url(user)}/{view['id']}", json={"name": None}, headers=user.headers)
    assert null.status_code == 422
    missing = client.patch(f"{_url(user)}/999999", json={"name": "w"}, headers=user.headers)
    assert missing.status_code == 404
    huge = client.patch(f"{_url(user)}/{2**40}", json={"name": "w"}, headers=user.headers)
    assert huge.status_code == 422


def test_another_users_views_are_out_of_reach(client: TestClient, user: AuthedUser) -> None:
    other = signup(client)
    theirs = _create(client, other, name="private").json()
    # My token on their path: 403, whatever the method.
    assert client.get(_url(other), headers=user.headers).status_code == 403
    assert _create(client, other, name="mine").status_code == 201  # their own token works
    assert client.post(_url(other), json={"name": "x"}, headers=user.headers).status_code == 403
    # Their view's id under my path: not among mine.
    url = f"{_url(user)}/{theirs['id']}"
    assert client.patch(url, json={"name": "taken"}, headers=user.headers).status_code == 404
    assert client.delete(url, headers=user.headers).status_code == 404
    assert client.get(_url(user), headers=user.headers).json() == []
    assert [v["name"] for v in client.get(_url(other), headers=other.headers).json()] == [
        "mine",
        "private",
    ]


def test_views_need_a_token(client: TestClient, user: AuthedUser) -> None:
    assert client.get(_url(user)).status_code == 401
