"""Migration 0008 (soft delete, saved views) down and up again with rows, on both databases."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from app.core import migrations
from app.core.db import make_engine
from tests.services.postgres import PostgresServer


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'taskflow.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database(f"m0008_{uuid.uuid4().hex[:8]}")


def test_downgrade_drops_deleted_tasks_and_views_keeping_live_tasks(empty_url: str) -> None:
    migrations.upgrade(empty_url, "0008")
    engine = make_engine(empty_url)
    user = uuid.uuid4() if engine.dialect.name == "postgresql" else uuid.uuid4().hex
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, timezone, password_hash, failed_logins,"
                " created_at) VALUES (:u, 'a@example.com', 'A', 'UTC', 'x', 0, '2026-01-01')"
            ),
            {"u": user},
        )
        for title, deleted in (("live", None), ("deleted", "2026-11-29 10:00:00")):
            conn.execute(
                text(
                    "INSERT INTO tasks (user_id, title, description, completed, priority,"
                    " reminder_sent, created_at, updated_at, deleted_at) VALUES (:u, :t, '',"
                    " false, 'P4', false, '2026-01-01', '2026-01-01', :d)"
                ),
                {"u": user, "t": title, "d": deleted},
            )
        conn.execute(
            text(
                "INSERT INTO saved_views (user_id, name, name_key, filters, created_at,"
                " updated_at) VALUES (:u, 'Work', 'work', '{\"tag\": [\"work\"]}',"
                " '2026-01-01', '2026-01-01')"
            ),
            {"u": user},
        )

    migrations.downgrade(empty_url, "0007")
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT title FROM tasks"))] == ["live"]
    assert "saved_views" not in inspect(engine).get_table_names()
    assert "deleted_at" not in {c["name"] for c in inspect(engine).get_columns("tasks")}

    migrations.upgrade(empty_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT title, deleted_at FROM tasks")).all()
    assert [tuple(r) for r in rows] == [("live", None)]
    assert "saved_views" in inspect(engine).get_table_names()
    engine.dispose()
