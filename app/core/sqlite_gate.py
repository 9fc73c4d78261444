"""One writer at a time per SQLite file in this process, handed over at once.

SQLite lets one transaction write at a time. A writer that finds the lock taken sleeps and
polls (its busy handler: 1, 2, 5 ... 100 ms between tries), so under 8 request threads a
consumer's write lost the race for seconds (docs/performance.md). Here a thread takes a Python
lock at its transaction's first write and gives it back after its commit or rollback; a waiting
thread wakes as soon as it is free. Reads never take it (WAL readers don't block writers).

The wait is bounded: after GATE_TIMEOUT_SECONDS a writer goes on without the gate and SQLite's own
busy timeout applies, as before (another process, or one thread writing on two connections).

Writers marked `ahead_of_requests` (the outbox relay and the embedded consumers it feeds) go
first: a plain lock wakes waiters in no particular order, and with 8 request threads queued a
relay round's writes waited behind many of them, so events lagged by seconds. Now such a write
waits for at most the transaction in progress.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

GATE_TIMEOUT_SECONDS = 5.0
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

# Set in a task (worker threads started from it with asyncio.to_thread inherit it).
ahead_of_requests: ContextVar[bool] = ContextVar("ahead_of_requests", default=False)


class Gate:
    """A lock whose urgent waiters go before the others."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._held = False
        self._urgent_waiting = 0

    def locked(self) -> bool:
        return self._held

    def acquire(self, *, timeout: float, urgent: bool = False) -> bool:
        with self._turn:
            self._urgent_waiting += urgent
            try:
                free = self._turn.wait_for(
                    lambda: not self._held and (urgent or not self._urgent_waiting), timeout
                )
            finally:
                self._urgent_waiting -= urgent
            if free:
                self._held = True
            elif urgent:
                self._turn.notify_all()  # the others may have waited for this one only
            return free

    def release(self) -> None:
        with self._turn:
            self._held = False
            self._turn.notify_all()


_gates: dict[str, Gate] = {}
_gates_guard = threading.Lock()


def gate_for(database: str) -> Gate:
    """The gate of one database file (shared by every engine on it in this process)."""
    with _gates_guard:
        return _gates.setdefault(database, Gate())


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
            self.holds_gate = self.gate.acquire(
                timeout=GATE_TIMEOUT_SECONDS, urgent=ahead_of_requests.get()
            )
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
