"""initial schema"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.alembic.columns import create_serial_table, owned_by_user, serial_id, timestamp, user_id

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        timestamp("locked_until", nullable=True),
        timestamp("created_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_users_email"), "users", ["email"], unique=True)

    op.create_table(
        "tags",
        sa.Column("name", sa.String(length=50), nullable=False),
        serial_id(),
        user_id(),
        sa.Column("name_key", sa.String(length=50), nullable=False),
        timestamp("created_at"),
        owned_by_user(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "name_key", name="uq_tags_user_name_key"),
    )
    create_serial_table(
        "tasks",
        user_id(),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        timestamp("completed_at", nullable=True),
        sa.Column("priority", sa.String(length=2), nullable=False),
        timestamp("due_at", nullable=True),
        sa.Column("recurrence", sa.String(length=500), nullable=True),
        sa.Column("remind_before_minutes", sa.Integer(), nullable=True),
        timestamp("remind_at", nullable=True),
        sa.Column("reminder_sent", sa.Boolean(), nullable=False),
        sa.Column("previous_occurrence_id", sa.Integer(), nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.ForeignKeyConstraint(["previous_occurrence_id"], ["tasks.id"], ondelete="SET NULL"),
        owned_by_user(),
        sa.UniqueConstraint("previous_occurrence_id"),
    )
    op.create_index("ix_tasks_reminder_due", "tasks", ["reminder_sent", "remind_at"], unique=False)
    op.create_index(
        "ix_tasks_user_completed_created",
        "tasks",
        ["user_id", "completed", "created_at"],
        unique=False,
    )
    op.create_index("ix_tasks_user_created", "tasks", ["user_id", "created_at"], unique=False)
    op.create_index("ix_tasks_user_due", "tasks", ["user_id", "due_at"], unique=False)
    op.create_index(
        "ix_tasks_user_priority_due", "tasks", ["user_id", "priority", "due_at"], unique=False
    )
    op.create_index("ix_tasks_user_updated", "tasks", ["user_id", "updated_at"], unique=False)

    op.create_table(
        "task_tags",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", "tag_id"),
    )
    op.create_index(op.f("ix_task_tags_tag_id"), "task_tags", ["tag_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_task_tags_tag_id"), table_name="task_tags")
    op.drop_table("task_tags")

    op.drop_index("ix_tasks_user_updated", table_name="tasks")
    op.drop_index("ix_tasks_user_priority_due", table_name="tasks")
    op.drop_index("ix_tasks_user_due", table_name="tasks")
    op.drop_index("ix_tasks_user_created", table_name="tasks")
    op.drop_index("ix_tasks_user_completed_created", table_name="tasks")
    op.drop_index("ix_tasks_reminder_due", table_name="tasks")
    op.drop_table("tasks")
    op.drop_table("tags")

    op.drop_index(op.f("ix_users_email"), table_name="users")
    op.drop_table("users")
