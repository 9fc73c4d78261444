"""event consumers state"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.alembic.columns import create_event_record_table, create_serial_table, timestamp

revision: str = "0003"
down_revision: str | None = "0002"


def upgrade() -> None:
    create_serial_table(
        "dead_letters",
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("consumer", sa.String(length=50), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        timestamp("failed_at"),
        timestamp("replayed_at", nullable=True),
    )
    op.create_index(op.f("ix_dead_letters_topic"), "dead_letters", ["topic"], unique=False)

    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(length=50), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        timestamp("processed_at"),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    create_event_record_table(
        "activity",
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=50), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        timestamp("occurred_at"),
        timestamp("recorded_at"),
    )
    op.create_index(
        "ix_activity_user_occurred", "activity", ["user_id", "occurred_at", "id"], unique=False
    )

    create_event_record_table(
        "notifications",
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=False),
        timestamp("due_at", nullable=True),
        timestamp("created_at"),
        timestamp("read_at", nullable=True),
    )
    op.create_index(
        "ix_notifications_user_created",
        "notifications",
        ["user_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_user_created", table_name="notifications")
    op.drop_table("notifications")

    op.drop_index("ix_activity_user_occurred", table_name="activity")
    op.drop_table("activity")
    op.drop_table("processed_events")

    op.drop_index(op.f("ix_dead_letters_topic"), table_name="dead_letters")
    op.drop_table("dead_letters")
