"""Leadership among replicas through PostgreSQL advisory locks (SQLite has one process)."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session


def try_transaction_lock(*, session: Session, key: int) -> bool:
    """True when this transaction holds the lock (released at its commit or rollback)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    got = session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key})
    return bool(got.scalar_one())
