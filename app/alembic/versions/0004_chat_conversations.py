"""chat conversations"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.alembic.columns import create_serial_table, owned_by_user, timestamp, user_id

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    create_serial_table(
        "conversations",
        user_id(),
        sa.Column("title", sa.String(length=200), nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        owned_by_user(),
    )
    op.create_index(
        "ix_conversations_user_updated", "conversations", ["user_id", "updated_at"], unique=False
    )

    create_serial_table(
        "messages",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("tool_calls", sa.Text(), nullable=False),
        timestamp("created_at"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
    )
    op.create_index(
        "ix_messages_conversation_id", "messages", ["conversation_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_messages_conversation_id", table_name="messages")
    op.drop_table("messages")

    op.drop_index("ix_conversations_user_updated", table_name="conversations")
    op.drop_table("conversations")
