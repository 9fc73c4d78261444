"""Alembic environment: the schema is SQLModel's metadata; the URL comes from the caller."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)
from app.core.db import make_engine

config = context.config
target_metadata = SQLModel.metadata
# PostgreSQL-only full-text search objects are owned by the migrations (a test checks they
# exist); they are not in the models, so autogenerate must not try to drop them.
MIGRATION_OWNED = {("index", "ix_tasks_search"), ("column", "search_vector")}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return (type_, name) not in MIGRATION_OWNED


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set by app.core.migrations"
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table by dropping it: with foreign keys on, that
            # drop would cascade to the rows that point at it. SQLite's documented recipe for
            # a rebuild: keys off outside the transaction, checked again at the end.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
    engine.dispose()


run_migrations_online()
