"""Database engine construction and the UTC-preserving datetime column type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, event, text
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import TypeDecorator
from sqlmodel import Column, Field, create_engine

from app.core.sqlite_gate import GatedConnection


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware (UTC).

    SQLite keeps no offset, so values are normalised to naive UTC on the way in
    and re-labelled as UTC on the way out; PostgreSQL uses timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: the database stays
    # consistent after a power loss or OS crash, but the last commits before it can be lost
    # (an application crash loses nothing). The embedded default trades that for write speed.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(database_url: str, *, echo: bool = False) -> Engine:
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url,
            echo=echo,
            hide_parameters=True,  # a statement's values (hashes, emails) never reach a log
            # One writer at a time, handed over at once instead of SQLite's sleep-and-poll.
            connect_args={"check_same_thread": False, "factory": GatedConnection},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if database_url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; accept the plain libpq-style URL too.
        database_url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    # No pre-ping: it is a round trip on every checkout. After a database restart the first
    # statement on a stale connection fails, SQLAlchemy sees the disconnect and drops the whole
    # pool, so one request per process gets an error instead of every request paying always.
    return create_engine(database_url, echo=echo, hide_parameters=True, pool_size=10)


def reachable(engine: Engine) -> bool:
    """The readiness probe's one statement (not about any table, so not a repository's)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def now_field() -> Any:
    """A required UTC timestamp column that defaults to the time of insertion."""
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


def optional_time_field() -> Any:
    """A nullable UTC timestamp column."""
    return Field(default=None, sa_column=Column(UTCDateTime()))
