"""soft delete of tasks and saved views

tasks.deleted_at: a deleted task is kept (hidden) so it can be restored (docs/adr/0503).
saved_views: a user's named task filters, unique by name in any case (name_key).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.alembic.columns import create_serial_table, owned_by_user, timestamp, user_id

revision: str = "0008"
down_revision: str | None = "0007"


def upgrade() -> None:
    # A nullable column without a default: no table rewrite on PostgreSQL or SQLite.
    op.add_column("tasks", timestamp("deleted_at", nullable=True))
    create_serial_table(
        "saved_views",
        user_id(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        owned_by_user(),
        sa.UniqueConstraint("user_id", "name_key", name="uq_saved_views_user_name_key"),
    )


def downgrade() -> None:
    op.drop_table("saved_views")
    # Deleted tasks would come back as live ones: they are removed with the column.
    op.execute("DELETE FROM tasks WHERE deleted_at IS NOT NULL")
    # SQLite (3.35+) drops a column in place, as PostgreSQL does.
    op.drop_column("tasks", "deleted_at")
