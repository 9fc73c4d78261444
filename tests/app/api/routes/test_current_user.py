"""The authenticated user is cached for a few seconds; a change through the API shows at once."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.users import create_task, signup


def test_a_new_timezone_applies_to_the_very_next_naive_due_date(client: TestClient) -> None:
    user = signup(client, timezone="UTC")
    assert create_task(client, user, title="before", due_at="2026-12-01T09:00")["due_at"] == (
        "2026-12-01T09:00:00Z"
    )
    response = client.patch(
        f"/api/{user.id}/profile", json={"timezone": "Asia/Tokyo"}, headers=user.headers
    )
    assert response.status_code == 200
    task = create_task(client, user, title="after", due_at="2026-12-01T09:00")
    assert task["due_at"] == "2026-12-01T00:00:00Z"
