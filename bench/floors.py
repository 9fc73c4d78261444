"""The floors each Taskflow figure is read against, measured in the same run.

- inserts: the rows one create must write (1 task + its outbox rows), through psycopg, one
  transaction per create, on N connections opened beforehand.
- broker end-to-end latency: Kafka's own tool (org.apache.kafka.tools.EndToEndLatency, from
  kafka-tools of the broker's version) producing and consuming one record at a time.
- the same SQL: the statements the app sends for a request, replayed on a warm connection.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from bench.common import run_parallel
from tests.services.kafka import KafkaBroker

REPO_ROOT = Path(__file__).resolve().parents[1]
# A create writes a task-events and a task-updates message (a reminder adds a third).
OUTBOX_ROWS_PER_CREATE = 2
# The size of a real `created` CloudEvent in the outbox.
OUTBOX_PAYLOAD = json.dumps({"specversion": "1.0", "data": {"x": "y" * 700}})


def floor_user(url: str) -> uuid.UUID:
    """A user of its own for the floor's rows, so the app's listings never see them."""
    user_id = uuid.uuid4()
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO users (id, email, name, timezone, password_hash, failed_logins, created_at)"
            " VALUES (%s, %s, 'Floor', 'UTC', 'x', 0, now())",
            (user_id, f"{user_id}@floor.example"),
        )
    return user_id


def insert_rate(url: str, user_id: uuid.UUID, connections: int, count: int) -> float:
    """Creates per second when each create is only its inserts: the task, then its outbox
    rows (marked published, so no relay picks them up), and a commit."""
    pool = [psycopg.connect(url) for _ in range(connections)]
    free = list(pool)
    lock = threading.Lock()
    local = threading.local()

    def create(i: int) -> None:
        if not hasattr(local, "conn"):
            with lock:
                local.conn = free.pop()
        conn: psycopg.Connection[Any] = local.conn
        with conn.transaction():
            row = conn.execute(
                "INSERT INTO tasks (user_id, title, description, completed, priority,"
                " created_at, updated_at, reminder_sent) VALUES (%s, %s, '', false, 'P2', now(),"
                " now(), false) RETURNING id",
                (user_id, f"floor {i}"),
            ).fetchone()
            assert row is not None
            for topic in ("task-events", "task-updates")[:OUTBOX_ROWS_PER_CREATE]:
                conn.execute(
                    "INSERT INTO outbox (topic, key, event_id, payload, created_at, published_at,"
                    " attempts) VALUES (%s, %s, %s, %s, now(), now(), 0)",
                    (topic, str(user_id), str(uuid.uuid4()), OUTBOX_PAYLOAD),
                )

    try:
        _, seconds = run_parallel(connections, count, create)
    finally:
        for conn in pool:
            conn.close()
    return count / seconds


def kafka_tools_jar() -> Path:
    """Fetches (once, cached) the kafka-tools jar of the broker's version."""
    out = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "deps" / "kafka-tools.sh")],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip().splitlines()[-1])


_PERCENTILES = re.compile(r"50th = ([\d.]+), 99th = ([\d.]+)")


def broker_e2e_ms(
    broker: KafkaBroker, records: int = 1000, acks: str = "all"
) -> tuple[float, float]:
    """p50 and p99 in ms of Kafka's own produce -> consume latency, one record in flight."""
    topic = "bench-e2e-latency"
    _ensure_topic(broker, topic)
    classpath = f"{kafka_tools_jar()}:{broker.lib_dir}/*"
    out = subprocess.run(
        [
            broker.java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            f"-Dlog4j2.configurationFile={broker.home / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={broker.log_dir}",
            "-cp",
            classpath,
            "org.apache.kafka.tools.EndToEndLatency",
            broker.bootstrap_servers,
            topic,
            str(records),
            acks,
            "700",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = _PERCENTILES.search(out.stdout)
    if found is None:
        raise RuntimeError(f"no percentiles in EndToEndLatency output:\n{out.stdout}\n{out.stderr}")
    return float(found.group(1)), float(found.group(2))


def _ensure_topic(broker: KafkaBroker, topic: str) -> None:
    """The test broker does not auto-create topics; the latency tool expects its own."""

    async def create() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
        await admin.start()
        try:
            if topic not in await admin.list_topics():
                await admin.create_topics([NewTopic(topic, 1, 1)])
        except TopicAlreadyExistsError:
            pass
        finally:
            await admin.close()

    asyncio.run(create())


def replay_seconds(
    conn: psycopg.Connection[Any], statements: list[tuple[str, Any]], repeats: int
) -> list[float]:
    """Wall time of sending the statements one after another and fetching every row."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for sql, params in statements:
            cur = conn.execute(sql, params)
            if cur.description is not None:
                cur.fetchall()
        conn.commit()
        samples.append(time.perf_counter() - started)
    return samples
