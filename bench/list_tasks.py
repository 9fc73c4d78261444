"""Task listing latency through HTTP on PostgreSQL at 1k, 10k and 100k tasks, against the same
SQL replayed on a warm connection, in interleaved rounds.

    uv run python -m bench.list_tasks [--sizes 1000,10000,100000] [--rounds 3] [--requests 30]
        [--profile list.txt]

Seeds one user's tasks (among as many belonging to other users). For each realistic shape
(search + filter + sort + page) the floor is the statements the app sends for that request,
captured from the app's own service code in this process and replayed with psycopg; the app
figure is a keep-alive HTTP GET against `taskflow serve` running as its own process.
"""

from __future__ import annotations

import argparse
import random
import signal
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import migrations
from app.core.db import make_engine
from app.models.task_query import TaskQuery
from app.models.user import User
from app.services import tasks as task_service
from bench.common import (
    Figure,
    Http,
    free_port,
    percentile,
    print_table,
    py_spy,
    signup,
    taskflow,
)
from bench.floors import replay_seconds
from bench.profile import summarise
from tests.services.postgres import PostgresServer

WORDS = [
    "milk",
    "report",
    "dentist",
    "invoice",
    "garden",
    "review",
    "deploy",
    "call",
    "plan",
    "draft",
    "taxes",
    "book",
    "car",
    "gym",
]
TAGS = ["work", "home", "errands", "health", "finance"]
QUERIES: dict[str, dict[str, Any]] = {
    "first page (default sort)": {},
    "search + open + sort": {"q": "invoice", "status": "open", "sort": "priority,-due_at"},
    "tag + priority + due sort": {"tag": ["work"], "priority": ["P1", "P2"], "sort": "due_at"},
    "overdue": {"overdue": "true", "sort": "due_at"},
    "due window + page 3": {
        "due_after": "2026-12-01T00:00:00Z",
        "due_before": "2027-03-01T00:00:00Z",
        "offset": 100,
    },
}


def seed(url: str, user_id: uuid.UUID, count: int, rng: random.Random) -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO users (id, email, name, timezone, password_hash, failed_logins, created_at)"
            " VALUES (%s, %s, 'Bench', 'UTC', 'x', 0, now()) ON CONFLICT DO NOTHING",
            (user_id, f"{user_id}@bench.example"),
        )
        cur.execute("SELECT count(*) FROM tags WHERE user_id = %s", (user_id,))
        if cur.fetchone() == (0,):
            for name in TAGS:
                cur.execute(
                    "INSERT INTO tags (user_id, name, name_key, created_at) VALUES (%s, %s, %s, now())",
                    (user_id, name, name),
                )
        cur.execute("SELECT id FROM tags WHERE user_id = %s ORDER BY id", (user_id,))
        tag_ids = [row[0] for row in cur.fetchall()]
        rows = []
        for i in range(count):
            words = rng.sample(WORDS, 3)
            due = now + timedelta(hours=rng.randint(-2000, 4000)) if rng.random() < 0.7 else None
            created = now - timedelta(minutes=count - i)
            rows.append(
                (
                    user_id,
                    " ".join(words),
                    f"about {words[0]} and {rng.choice(WORDS)}",
                    rng.random() < 0.3,
                    f"P{rng.randint(1, 4)}",
                    due,
                    created,
                    created,
                    False,
                )
            )
        with cur.copy(
            "COPY tasks (user_id, title, description, completed, priority, due_at, created_at, updated_at, reminder_sent) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(
            "INSERT INTO task_tags (task_id, tag_id) SELECT t.id, (%s::int[])[1 + (t.id %% %s)] FROM tasks t"
            " WHERE t.user_id = %s AND NOT EXISTS (SELECT 1 FROM task_tags x WHERE x.task_id = t.id)",
            (tag_ids, len(tag_ids), user_id),
        )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def app_statements(
    engine: Engine, user_id: uuid.UUID, params: dict[str, Any]
) -> list[tuple[str, Any]]:
    """The statements the app's listing sends for these parameters (its user lookup aside)."""
    captured: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    with Session(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        event.listen(engine, "before_cursor_execute", capture)
        try:
            task_service.list_tasks(
                session=session, user=user, query=TaskQuery.model_validate(params)
            )
        finally:
            event.remove(engine, "before_cursor_execute", capture)
    return captured


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30, help="per shape, side and round")
    parser.add_argument("--profile", help="py-spy raw stacks of the API over the first size")
    args = parser.parse_args()
    rng = random.Random(7)
    figures: list[Figure] = []
    with PostgresServer() as pg:
        url = pg.create_database("bench")
        migrations.upgrade(url)
        engine = make_engine(url)
        port = free_port()
        with (
            taskflow(
                ["serve", "--port", str(port), "--no-migrate"], {"DATABASE_URL": url}, port
            ) as api,
            psycopg.connect(url) as floor_conn,
        ):
            user, token = signup(port, "bench@example.com")
            user_id = uuid.UUID(user)
            http = Http(port, token)
            seeded = 0
            for size in (int(s) for s in args.sizes.split(",")):
                seed(url, uuid.uuid4(), size - seeded, rng)  # other users' tasks, as many
                seed(url, user_id, size - seeded, rng)
                seeded = size
                label = f"{size // 1000}k" if size >= 1000 else str(size)
                shapes = {
                    name: (
                        f"/api/{user_id}/tasks?{urlencode(params, doseq=True)}",
                        app_statements(engine, user_id, params),
                        Figure(
                            name=f"list {label}, {name}: p50", unit="ms", floor_name="same SQL p50"
                        ),
                        Figure(
                            name=f"list {label}, {name}: p95", unit="ms", floor_name="same SQL p95"
                        ),
                    )
                    for name, params in QUERIES.items()
                }
                profiler = (
                    py_spy(api.proc.pid, args.profile) if args.profile and not figures else None
                )
                for _ in range(args.rounds):
                    for path, statements, p50, p95 in shapes.values():
                        app = [_get(http, path) for _ in range(args.requests)]
                        floor = replay_seconds(floor_conn, statements, args.requests)
                        p50.add(percentile(app, 50) * 1000, percentile(floor, 50) * 1000)
                        p95.add(percentile(app, 95) * 1000, percentile(floor, 95) * 1000)
                if profiler is not None:
                    profiler.send_signal(signal.SIGINT)
                    profiler.wait(timeout=60)
                for _, _, p50, p95 in shapes.values():
                    figures += [p50, p95]
                print(f"{size:,} tasks done", flush=True)
        engine.dispose()
    print_table("Task listing (PostgreSQL, HTTP keep-alive vs the same SQL)", figures)
    if args.profile:
        summarise(args.profile)


def _get(http: Http, path: str) -> float:
    status, body, seconds = http.get(path)
    if status != 200:
        raise RuntimeError(f"list answered {status}: {body[:200]!r}")
    return seconds


if __name__ == "__main__":
    main()
