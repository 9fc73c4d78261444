from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

_counter = itertools.count(1)


@dataclass(frozen=True, kw_only=True)
class AuthedUser:
    id: uuid.UUID
    token: str
    email: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def tasks_url(self) -> str:
        return f"/api/{self.id}/tasks"

    @property
    def tags_url(self) -> str:
        return f"/api/{self.id}/tags"


def signup(
    client: TestClient, *, timezone: str = "UTC", password: str = "correct-horse"
) -> AuthedUser:
    email = f"user{next(_counter)}-{uuid.uuid4().hex[:6]}@example.com"
    response = client.post(
        "/api/auth/signup",
        json={"email": email, "password": password, "name": "Test User", "timezone": timezone},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return AuthedUser(id=uuid.UUID(body["user"]["id"]), token=body["access_token"], email=email)


def create_task(client: TestClient, user: AuthedUser, **fields: Any) -> dict[str, Any]:
    fields.setdefault("title", "a task")
    response = client.post(user.tasks_url, json=fields, headers=user.headers)
    assert response.status_code == 201, response.text
    task: dict[str, Any] = response.json()
    return task
