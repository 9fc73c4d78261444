"""Task listing latency through the HTTP stack on PostgreSQL, at 1k, 10k and 100k tasks.

    uv run python -m bench.list_tasks [--sizes 1000,10000,100000] [--requests 200]

Seeds one user's tasks (among as many belonging to other users), then times realistic list
queries (search + filter + sort + page) with a keep-alive HTTP client, and prints p50/p95/p99
and the PostgreSQL plan of the slowest query shape.
"""

import argparse
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg

from app.core import migrations
from bench.common import serve, summary_ms
from tests.conftest import make_settings
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
    "tag + priority + due sort": {"tag": "work", "priority": ["P1", "P2"], "sort": "due_at"},
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    with PostgresServer() as pg:
        url = pg.create_database("bench")
        migrations.upgrade(url)
        settings = make_settings(url)
        with serve(settings) as base, httpx.Client(base_url=base, timeout=30) as client:
            signup = client.post(
                "/api/auth/signup",
                json={"email": "bench@example.com", "password": "bench-password", "name": "B"},
            )
            me = signup.json()
            user_id = uuid.UUID(me["user"]["id"])
            headers = {"Authorization": f"Bearer {me['access_token']}"}
            seeded = 0
            for size in (int(s) for s in args.sizes.split(",")):
                seed(url, uuid.uuid4(), size - seeded, rng)  # other users' tasks, as many
                seed(url, user_id, size - seeded, rng)
                seeded = size
                print(f"\n== {size:,} tasks for the user (and {size:,} for others)")
                for name, params in QUERIES.items():
                    samples = []
                    for _ in range(args.requests):
                        response = client.get(
                            f"/api/{user_id}/tasks", params=params, headers=headers
                        )
                        assert response.status_code == 200, response.text
                        samples.append(response.elapsed.total_seconds())
                    print(
                        f"  {name:28} {summary_ms(samples)}  total={response.headers['X-Total-Count']}"
                    )
        with psycopg.connect(url, autocommit=True) as conn:
            plan = conn.execute(
                "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM tasks WHERE user_id = %s AND completed = false"
                " AND to_tsvector('english', title || ' ' || description) @@ websearch_to_tsquery('english', 'invoice')"
                " ORDER BY priority, (due_at IS NULL), due_at DESC, id LIMIT 50",
                (user_id,),
            ).fetchall()
            print("\nPlan of 'search + open + sort' at the largest size:")
            for (line,) in plan:
                print("  " + line)


if __name__ == "__main__":
    main()
