"""sqlite task ids never reused

SQLite hands a deleted row's id (the largest one) to the next insert unless the table is
declared AUTOINCREMENT; a client holding that id would then read or change another task.
PostgreSQL's sequences never go back, so only SQLite's table is rebuilt (batch mode copies
the rows, indexes and foreign keys into the new table).
"""

from __future__ import annotations

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"


def _rebuild_tasks(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "tasks", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade() -> None:
    _rebuild_tasks(autoincrement=True)


def downgrade() -> None:
    _rebuild_tasks(autoincrement=False)
