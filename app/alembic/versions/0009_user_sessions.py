"""user sessions and token epoch

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 21:30:00

user_session keeps one row per browser session (the hash of its current refresh token);
users.token_epoch is stamped into access tokens and raised by "log out everywhere".
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.alembic.columns import owned_by_user, timestamp, user_id

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        user_id(),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        timestamp("created_at"),
        timestamp("last_used_at"),
        timestamp("expires_at"),
        timestamp("revoked_at", nullable=True),
        owned_by_user(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_session_user_id", "user_session", ["user_id"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_epoch", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("token_epoch")
    op.drop_index("ix_user_session_user_id", table_name="user_session")
    op.drop_table("user_session")
