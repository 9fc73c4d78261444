"""The embedded default (SQLite, in-process bus): creates/s at 8 writers and how far the
in-process audit consumer lags behind, in rounds.

    uv run python -m bench.embedded [--rounds 3] [--writes 1200] [--profile wall.txt]

The lag is `activity.recorded_at - occurred_at` of each create (both from one clock). Its goal is
absolute (p99 under 100 ms), so the floor column shows SQLite's own inserts-only rate instead.
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import tempfile
import threading
import time
import uuid
from pathlib import Path

from app.core import migrations
from bench.common import (
    Figure,
    Http,
    free_port,
    percentile,
    print_table,
    py_spy,
    run_parallel,
    signup,
    taskflow,
)
from bench.events import app_writes
from bench.floors import OUTBOX_PAYLOAD, OUTBOX_ROWS_PER_CREATE


def audit_lags(db: Path, task_ids: list[int], timeout: float = 300) -> list[float]:
    deadline = time.monotonic() + timeout
    marks = ",".join("?" * len(task_ids))
    with sqlite3.connect(db) as conn:
        while True:
            rows = conn.execute(
                "SELECT (julianday(recorded_at) - julianday(occurred_at)) * 86400.0 FROM activity"
                f" WHERE event_type = 'created' AND task_id IN ({marks})",
                task_ids,
            ).fetchall()
            if len(rows) >= len(task_ids):
                return [float(r[0]) for r in rows]
            if time.monotonic() > deadline:
                raise RuntimeError(f"audit recorded {len(rows)} of {len(task_ids)} creates")
            time.sleep(0.2)


def sqlite_insert_rate(db: Path, user_id: str, writers: int, count: int) -> float:
    """The rows of a create through the sqlite3 module, one transaction each, with the app's
    pragmas (WAL, busy timeout); SQLite serialises writers, so this is the file's own ceiling."""
    local = threading.local()

    def create(i: int) -> None:
        if not hasattr(local, "conn"):
            local.conn = sqlite3.connect(db, timeout=60, isolation_level=None)
            local.conn.execute("PRAGMA journal_mode=WAL")
        conn: sqlite3.Connection = local.conn
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO tasks (user_id, title, description, completed, priority, created_at,"
            " updated_at, reminder_sent) VALUES (?, ?, '', 0, 'P2', datetime('now'),"
            " datetime('now'), 0)",
            (user_id, f"floor {i}"),
        )
        for topic in ("task-events", "task-updates")[:OUTBOX_ROWS_PER_CREATE]:
            conn.execute(
                "INSERT INTO outbox (topic, key, event_id, payload, created_at, published_at,"
                " attempts) VALUES (?, ?, ?, ?, datetime('now'), datetime('now'), 0)",
                (topic, user_id, str(uuid.uuid4()), OUTBOX_PAYLOAD),
            )
        conn.execute("COMMIT")

    _, seconds = run_parallel(writers, count, create)
    return count / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writes", type=int, default=1200)
    parser.add_argument(
        "--profile", help="py-spy raw stacks (wall time, idle included) of the API, first round"
    )
    args = parser.parse_args()

    writes = Figure(
        name="embedded creates/s, 8 writers",
        unit="/s",
        floor_name="sqlite3 inserts only, 8 threads",
    )
    lag_p50 = Figure(
        name="embedded audit lag p50, 8 writers", unit="ms", floor_name="goal: p99 < 100 ms"
    )
    lag_p99 = Figure(
        name="embedded audit lag p99, 8 writers", unit="ms", floor_name="goal: p99 < 100 ms"
    )
    with tempfile.TemporaryDirectory(prefix="taskflow-bench-") as tmp:
        db = Path(tmp) / "taskflow.db"
        url = f"sqlite:///{db}"
        migrations.upgrade(url)
        port = free_port()
        with taskflow(
            ["serve", "--port", str(port), "--no-migrate"], {"DATABASE_URL": url}, port
        ) as api:
            user_id, token = signup(port, "embedded@example.com")
            http = Http(port, token)
            path = f"/api/{user_id}/tasks"
            floor_uid = uuid.UUID(user_id).hex  # SQLAlchemy stores SQLite UUIDs as 32 hex digits
            audit_lags(db, app_writes(http, path, 8, 200)[1])
            failures = 0
            for round_ in range(args.rounds):
                profiler = (
                    py_spy(api.proc.pid, args.profile, wall=True)
                    if args.profile and round_ == 0
                    else None
                )
                rate, ids, failed = app_writes(http, path, 8, args.writes)
                failures += failed
                lags = audit_lags(db, ids)
                if profiler is not None:
                    profiler.send_signal(signal.SIGINT)
                    profiler.wait(timeout=60)
                writes.add(rate, sqlite_insert_rate(db, floor_uid, 8, args.writes))
                lag_p50.add(percentile(lags, 50) * 1000)
                lag_p99.add(percentile(lags, 99) * 1000)
                print(f"round {round_ + 1}/{args.rounds} done", flush=True)
    print_table(
        "Embedded default (SQLite, in-process events)",
        [writes, lag_p50, lag_p99],
        [
            f"Failed creates (not 201, e.g. 'database is locked' after the 5 s busy timeout): {failures}"
        ],
    )


if __name__ == "__main__":
    main()
