"""The schema history is reversible, and downgrading one step keeps existing rows."""

import uuid

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from app.core import migrations
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
