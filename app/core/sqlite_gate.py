"""One writer at a time per SQLite file in this process, handed over at once.

SQLite lets one transaction write at a time. A writer that finds the lock taken sleeps and
polls (its busy handler: 1, 2, 5 ... 100 ms between tries), so under 8 request threads a
consumer's write lost the race for seconds (docs/performance.md). Here a thread takes a Python
lock at its transaction's first write and gives it back after its commit or rollback; a waiting
thread wakes as soon as it is free. Reads never take it (WAL readers don't block writers).

The wait is bounded: after GATE_TIMEOUT_SECONDS a writer goes on without the gate and SQLite's own
busy timeout applies, as before (another process, or one thread writing on two connections).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

GATE_TIMEOUT_SECONDS = 5.0
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_gates: dict[str, threading.Lock] = {}
_gates_guard = threading.Lock()


def gate_for(database: str) -> threading.Lock:
    """The gate of one database file (shared by every engine on it in this process)."""
    with _gates_guard:
        return _gates.setdefault(database, threading.Lock())


class GatedCursor(sqlite3.Cursor):
    connection: GatedConnection

    def execute(self, sql: str, parameters: Any = (), /) -> GatedCursor:
        with self.connection.gated(sql):
            super().execute(sql, parameters)
        return self

    def executemany(self, sql: str, parameters: Any, /) -> GatedCursor:
        with self.connection.gated(sql):
            super().executemany(sql, parameters)
        return self


class GatedConnection(sqlite3.Connection):
    """Passed to sqlite3.connect as `factory`; SQLAlchemy runs every statement on its cursors."""

    def __init__(self, database: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.gate = gate_for(str(database))
        self.holds_gate = False

    def cursor(self, factory: Any = GatedCursor) -> Any:
        return super().cursor(factory)

    @contextmanager
    def gated(self, sql: str) -> Iterator[None]:
        """Runs one statement: a write takes the gate first; it is released once the
        statement leaves no transaction open (autocommit, or a failed first write)."""
        if not self.holds_gate and sql.lstrip()[:7].upper().startswith(_WRITES):
            self.holds_gate = self.gate.acquire(timeout=GATE_TIMEOUT_SECONDS)
        try:
            yield
        finally:
            self.after()

    def after(self) -> None:
        # Released when the transaction is over, whoever ends it (commit, rollback, the pool).
        if self.holds_gate and not self.in_transaction:
            self.holds_gate = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.after()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.after()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.holds_gate:
                self.holds_gate = False
                self.gate.release()
