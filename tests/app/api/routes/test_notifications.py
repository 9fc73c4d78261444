"""GET /api/{user_id}/notifications and /activity: paging, filters and the count headers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models.notification import Notification
from tests.utils.users import AuthedUser, signup


@pytest.fixture
def user(client: TestClient) -> AuthedUser:
    return signup(client)


def _notify(engine: Engine, user: AuthedUser, *, count: int, read: int) -> None:
    """count reminders delivered a minute apart, the first `read` of them read."""
    start = datetime(2026, 11, 30, 8, tzinfo=UTC)
    with Session(engine) as session:
        for i in range(count):
            session.add(
                Notification(
                    event_id=str(uuid.uuid4()),
                    user_id=user.id,
                    task_id=i + 1,
                    title=f"task {i}",
                    message=f"task {i} is due",
                    created_at=start + timedelta(minutes=i),
                    read_at=start if i < read else None,
                )
            )
        session.commit()


def test_one_page_carries_the_total_and_the_unread_count(
    client: TestClient, engine: Engine, user: AuthedUser
) -> None:
    _notify(engine, user, count=5, read=2)
    response = client.get(f"/api/{user.id}/notifications?limit=2", headers=user.headers)
    assert response.status_code == 200
    assert [n["title"] for n in response.json()] == ["task 4", "task 3"]
    assert response.headers["X-Total-Count"] == "5"
    assert response.headers["X-Unread-Count"] == "3"


def test_unread_filter_and_another_users_reminders(
    client: TestClient, engine: Engine, user: AuthedUser
) -> None:
    other = signup(client)
    _notify(engine, user, count=3, read=1)
    _notify(engine, other, count=4, read=0)
    url = f"/api/{user.id}/notifications"
    unread = client.get(url, params={"unread": "true"}, headers=user.headers)
    assert [n["title"] for n in unread.json()] == ["task 2", "task 1"]
    read = client.get(url, params={"unread": "false"}, headers=user.headers)
    assert [n["title"] for n in read.json()] == ["task 0"]
    assert read.headers["X-Total-Count"] == "1" and read.headers["X-Unread-Count"] == "2"


@pytest.mark.parametrize("path", ["notifications", "activity"])
@pytest.mark.parametrize(
    "params", [{"limit": "101"}, {"offset": "-1"}, {"unred": "true"}, {"task_id": "2147483648"}]
)
def test_bad_list_parameters_are_422_with_the_field(
    client: TestClient, user: AuthedUser, path: str, params: dict[str, str]
) -> None:
    response = client.get(f"/api/{user.id}/{path}", params=params, headers=user.headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == next(iter(params))
