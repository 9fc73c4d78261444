"""outbox notifies the relay

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 00:45:00

PostgreSQL only: a statement trigger on outbox sends NOTIFY on the channel the relay LISTENs
on, so a relay in another process (`taskflow relay`, or the leader among API workers) wakes
when the writing transaction commits instead of at its next poll. One notification per
statement, delivered at commit (none for a rolled-back write); identical notifications of one
transaction fold into one. SQLite has one writer process: the in-process commit hook suffices.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The literal, not app.events.relay.OUTBOX_CHANNEL: history must not follow later edits.
CHANNEL = "outbox"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox"
        " FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER outbox_notify ON outbox")
    op.execute("DROP FUNCTION outbox_notify()")
