"""What must hold once the faults are over, read straight from PostgreSQL and the broker.

Plain SQL and Kafka's admin API, not the app's own models or metrics: the point is to check
the app from outside (its own lag metric read 0 while a group was empty).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import psycopg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from tests.chaos.stack import Stack
from tests.chaos.workload import Record

# The groups whose every committed offset must reach the log end (realtime is a broadcast
# consumer with a group per process, starting at the end: nothing to catch up).
GROUPS: dict[str, tuple[str, ...]] = {
    "taskflow-audit": ("task-events", "reminders"),
    "taskflow-recurring": ("task-events",),
    "taskflow-reminders": ("reminders",),
}

T = TypeVar("T")


def run_async(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs a coroutine on a private loop in a thread (safe inside pytest-asyncio too)."""
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(factory()))
        except BaseException as exc:  # re-raised in the caller
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=60)
    if errors:
        raise errors[0]
    if not result:
        raise TimeoutError("Kafka admin call did not finish in 60 s")
    return result[0]


async def _group_lag(bootstrap: str) -> dict[str, int]:
    """Per group: sum over its topics' partitions of (log end - committed offset)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await admin.start()
    await reader.start()
    try:
        topics = {t for ts in GROUPS.values() for t in ts}
        described = await admin.describe_topics(sorted(topics))
        partitions = [
            TopicPartition(d["topic"], p["partition"]) for d in described for p in d["partitions"]
        ]
        ends = await reader.end_offsets(partitions)
        lag: dict[str, int] = {}
        for group, group_topics in GROUPS.items():
            committed = await admin.list_consumer_group_offsets(group)
            lag[group] = sum(
                end - (committed[tp].offset if tp in committed else 0)
                for tp, end in ends.items()
                if tp.topic in group_topics
            )
        return lag
    finally:
        await reader.stop()
        await admin.close()


def group_lag(stack: Stack) -> dict[str, int]:
    return run_async(lambda: _group_lag(stack.broker.bootstrap_servers))


@dataclass(kw_only=True)
class Findings:
    """Everything that does not hold yet; empty means converged."""

    problems: list[str]

    def __bool__(self) -> bool:
        return not self.problems


def _audit_keys(conn: psycopg.Connection[Any], user_ids: list[str]) -> dict[str, list[str]]:
    rows = conn.execute(
        "SELECT user_id::text, event_type, task_id, changes FROM activity "
        "WHERE topic = 'task-events' AND user_id::text = ANY(%s) ORDER BY id",
        (user_ids,),
    ).fetchall()
    keys: dict[str, list[str]] = {u: [] for u in user_ids}
    for user_id, event_type, task_id, changes in rows:
        marker = json.loads(changes).get("title", "") if event_type == "updated" else ""
        keys[user_id].append(f"{event_type}:{task_id}:{marker}")
    return keys


def check(stack: Stack, record: Record) -> Findings:
    """One pass over every invariant; the caller polls this until it holds or time runs out."""
    problems: list[str] = []
    try:
        with psycopg.connect(stack.database_url, connect_timeout=3) as conn:
            audited = _audit_keys(conn, list(record.writes))
            for user_id, writes in record.writes.items():
                acked = [w.key for w in writes]
                counts = Counter(audited[user_id])
                missing = [k for k in acked if counts[k] == 0]
                doubled = [k for k in acked if counts[k] > 1]
                if missing:
                    problems.append(f"user {user_id}: {len(missing)} writes not audited")
                if doubled:
                    problems.append(f"user {user_id}: audited twice: {doubled[:3]}")
                wanted = set(acked)
                order = [k for k in audited[user_id] if k in wanted]
                if not missing and not doubled and order != acked:
                    problems.append(f"user {user_id}: audit order differs from write order")
            if record.completed_recurring:
                successors: dict[int, int] = dict(
                    conn.execute(
                        "SELECT previous_occurrence_id, count(*) FROM tasks "
                        "WHERE previous_occurrence_id = ANY(%s) GROUP BY previous_occurrence_id",
                        (record.completed_recurring,),
                    ).fetchall()
                )
                wrong = [t for t in record.completed_recurring if successors.get(t, 0) != 1]
                if wrong:
                    problems.append(f"{len(wrong)} completed recurring tasks lack one successor")
            [pending] = conn.execute(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            ).fetchone() or (0,)
            if pending:
                problems.append(f"outbox: {pending} rows unpublished")
            # The workload sends no poison: anything parked was a transient failure.
            [parked] = conn.execute("SELECT count(*) FROM dead_letters").fetchone() or (0,)
            if parked:
                problems.append(f"{parked} messages parked in the dead-letter table")
    except psycopg.OperationalError as exc:
        problems.append(f"database unreachable: {exc}")
    try:
        lag = group_lag(stack)
        problems += [f"group {g}: lag {n}" for g, n in lag.items() if n]
    except Exception as exc:
        problems.append(f"broker unreachable: {type(exc).__name__}: {exc}")
    for service in stack.services:
        if not service.alive:
            problems.append(f"{service.name}: process exited")
        elif (status := service.health()) != 200:
            problems.append(f"{service.name}: /healthz {status}")
    return Findings(problems=problems)


def converge(stack: Stack, record: Record, *, within: float = 120.0) -> float:
    """Polls every invariant until all hold; returns the seconds it took."""
    began = time.monotonic()
    deadline = began + within
    while True:
        findings = check(stack, record)
        if findings:
            return time.monotonic() - began
        if time.monotonic() > deadline:
            raise AssertionError(
                f"not converged after {within:.0f}s "
                f"({record.total} acknowledged writes): {findings.problems}"
            )
        time.sleep(0.5)


def wait_for(probe: Callable[[], bool], *, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not probe():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {within:.0f}s")
        time.sleep(0.2)


def outbox_pending(stack: Stack) -> int:
    with psycopg.connect(stack.database_url, connect_timeout=3) as conn:
        row = conn.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()
    return int(row[0]) if row else 0


def scrape(url: str, metric: str) -> float:
    """Sum of a metric's samples in a Prometheus text page."""
    total = 0.0
    for line in httpx.get(url, timeout=5).text.splitlines():
        if line.startswith(metric) and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total
