"""transactional outbox and full-text search index"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.alembic.columns import timestamp

revision: str = "0002"
down_revision: str | None = "0001"


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("correlation_id", sa.String(length=100), nullable=True),
        timestamp("created_at"),
        timestamp("published_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["published_at", "id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_tasks_search ON tasks"
            " USING gin (to_tsvector('english', title || ' ' || description))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_tasks_search")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
