"""X-Total-Count: exact for small results, PostgreSQL's estimate (and says so) past 1,000."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.repositories.tasks import EXACT_TOTAL_UP_TO
from tests.utils.users import AuthedUser, create_task, signup


def _list(client: TestClient, user: AuthedUser, **params: Any) -> tuple[int, int, str]:
    response = client.get(user.tasks_url, params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    return (
        len(response.json()),
        int(response.headers["X-Total-Count"]),
        response.headers["X-Total-Count-Exact"],
    )


def _seed(engine: Engine, user: AuthedUser, count: int) -> None:
    user_id = str(user.id) if engine.dialect.name == "postgresql" else user.id.hex
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tasks (user_id, title, description, completed, priority,"
                " created_at, updated_at, reminder_sent)"
                " VALUES (:user_id, :title, '', false, 'P4', :now, :now, false)"
            ),
            [
                {"user_id": user_id, "title": f"seeded {i}", "now": "2026-11-01 00:00:00"}
                for i in range(count)
            ],
        )
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE tasks"))


def test_small_results_have_an_exact_total_on_every_page(client: TestClient) -> None:
    user = signup(client)
    for i in range(7):
        create_task(client, user, title=f"task {i}")
    assert _list(client, user, limit=5) == (5, 7, "true")
    assert _list(client, user, limit=5, offset=5) == (2, 7, "true")
    assert _list(client, user, limit=5, offset=10) == (0, 7, "true")
    assert _list(client, user, q="nothing-matches") == (0, 0, "true")


def test_totals_past_the_exact_limit_are_estimated_on_postgres_and_say_so(
    client: TestClient, engine: Engine
) -> None:
    user = signup(client)
    _seed(engine, user, EXACT_TOTAL_UP_TO + 500)
    size, total, exact = _list(client, user, limit=10)
    assert size == 10
    if engine.dialect.name == "postgresql":
        assert exact == "false" and total > EXACT_TOTAL_UP_TO
    else:
        assert (total, exact) == (EXACT_TOTAL_UP_TO + 500, "true")
    # A narrower filter under the limit is counted exactly again.
    create_task(client, user, title="the one", priority="P1")
    assert _list(client, user, priority="P1") == (1, 1, "true")
