"""The API process's own background work: the hourly purge of long-deleted tasks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.runtime import purge_deleted
from app.services.tasks import RESTORE_WINDOW
from tests.utils.users import create_task, signup


def _deleted_days_ago(engine: Engine, task_id: int, days: float) -> None:
    at = datetime.now(UTC) - timedelta(days=days)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE tasks SET deleted_at = :at WHERE id = :id"),
            {
                "at": at.replace(tzinfo=None) if engine.dialect.name == "sqlite" else at,
                "id": task_id,
            },
        )


def test_purge_removes_tasks_past_the_restore_window_only(
    client: TestClient, engine: Engine
) -> None:
    user = signup(client)
    live, recent, old = (create_task(client, user) for _ in range(3))
    _deleted_days_ago(engine, recent["id"], RESTORE_WINDOW.days - 1)
    _deleted_days_ago(engine, old["id"], RESTORE_WINDOW.days + 1)

    purge_deleted(engine)

    with engine.connect() as conn:
        left = {row[0] for row in conn.execute(text("SELECT id FROM tasks"))}
    assert left == {live["id"], recent["id"]}
