"""Alembic environment: the schema is SQLModel's metadata; the URL comes from the caller."""

from typing import Any

from alembic import context
from sqlmodel import SQLModel

import app.events.outbox
import app.models  # noqa: F401  (registers every table)
from app.core.db import make_engine

config = context.config
target_metadata = SQLModel.metadata
# Expression indexes come back from PostgreSQL re-worded, so autogenerate cannot compare
# them; the migration owns them and a test checks they exist.
UNCOMPARABLE_INDEXES = {"ix_tasks_search"}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "index" and name in UNCOMPARABLE_INDEXES)


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
