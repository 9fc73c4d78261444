"""The schema history is reversible, and downgrading one step keeps existing rows."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from app.core import migrations
from app.core.db import make_engine
from tests.services.postgres import PostgresServer


@pytest.fixture
def empty_postgres_url(postgres_server: PostgresServer) -> str:
    return postgres_server.create_database(f"migrations_{uuid.uuid4().hex[:8]}")


def _engine_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def test_upgrade_downgrade_upgrade_keeps_rows_on_postgres(empty_postgres_url: str) -> None:
    migrations.upgrade(empty_postgres_url)
    engine = create_engine(_engine_url(empty_postgres_url))
    user_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, timezone, password_hash, failed_logins, created_at)"
                " VALUES (:id, 'a@example.com', 'A', 'UTC', 'x', 0, now())"
            ),
            {"id": user_id},
        )
        conn.execute(
            text(
                "INSERT INTO tasks (user_id, title, description, completed, priority, reminder_sent,"
                " created_at, updated_at) VALUES (:u, 'kept', '', false, 'P2', false, now(), now())"
            ),
            {"u": user_id},
        )
    migrations.downgrade(empty_postgres_url, "-1")
    migrations.upgrade(empty_postgres_url)
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(text("SELECT title, priority FROM tasks"))] == [
            ("kept", "P2")
        ]
        assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 1
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("tasks")}
    assert {"ix_tasks_search", "ix_tasks_user_created", "ix_tasks_user_priority_due"} <= indexes
    assert "search_vector" in {c["name"] for c in inspect(engine).get_columns("tasks")}
    engine.dispose()


def test_full_downgrade_to_base_and_back_on_postgres(empty_postgres_url: str) -> None:
    migrations.upgrade(empty_postgres_url)
    migrations.downgrade(empty_postgres_url, "base")
    engine = create_engine(_engine_url(empty_postgres_url))
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(empty_postgres_url)
    assert "tasks" in inspect(engine).get_table_names()
    engine.dispose()


def test_models_match_migrations(empty_postgres_url: str) -> None:
    migrations.upgrade(empty_postgres_url)
    # Raises if autogenerate would emit anything: the models and the history agree.
    command.check(migrations.alembic_config(empty_postgres_url))


def test_history_is_linear() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def _task_links(engine: Engine) -> tuple[list[tuple[int, int | None]], list[tuple[int, int]]]:
    with engine.connect() as conn:
        tasks = conn.execute(text("SELECT id, previous_occurrence_id FROM tasks ORDER BY id"))
        links = conn.execute(text("SELECT task_id, tag_id FROM task_tags ORDER BY task_id"))
        return [(r[0], r[1]) for r in tasks], [(r[0], r[1]) for r in links]


def test_sqlite_task_ids_rebuild_keeps_rows_and_links(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'taskflow.db'}"
    migrations.upgrade(url, "0006")
    engine = make_engine(url)  # foreign keys on, as the app runs
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, timezone, password_hash, failed_logins,"
                " created_at) VALUES ('u1', 'a@example.com', 'A', 'UTC', 'x', 0, '2026-01-01')"
            )
        )
        for task_id, previous in ((1, None), (2, 1)):
            conn.execute(
                text(
                    "INSERT INTO tasks (id, user_id, title, description, completed, priority,"
                    " reminder_sent, previous_occurrence_id, created_at, updated_at) VALUES"
                    " (:id, 'u1', 't', '', 0, 'P4', 0, :prev, '2026-01-01', '2026-01-01')"
                ),
                {"id": task_id, "prev": previous},
            )
        conn.execute(
            text(
                "INSERT INTO tags (id, user_id, name, name_key, created_at)"
                " VALUES (1, 'u1', 'home', 'home', '2026-01-01')"
            )
        )
        conn.execute(text("INSERT INTO task_tags (task_id, tag_id) VALUES (1, 1), (2, 1)"))
    before = _task_links(engine)

    migrations.upgrade(url)
    # The rebuild drops the old table: its rows that others point at must survive that.
    assert _task_links(engine) == before
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM tasks WHERE id = 2"))
        conn.execute(
            text(
                "INSERT INTO tasks (user_id, title, description, completed, priority,"
                " reminder_sent, created_at, updated_at)"
                " VALUES ('u1', 'next', '', 0, 'P4', 0, '2026-01-01', '2026-01-01')"
            )
        )
        assert conn.execute(text("SELECT max(id) FROM tasks")).scalar_one() == 3

    migrations.downgrade(url, "-1")
    assert _task_links(engine) == ([(1, None), (3, None)], [(1, 1)])
    engine.dispose()
