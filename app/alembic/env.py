"""Alembic environment: the schema is SQLModel's metadata; the URL comes from the caller."""

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
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
