"""Writes with events through a real Kafka broker, against their floors, in interleaved rounds.

    uv run python -m bench.events [--rounds 3] [--writes 1200] [--profile write.txt]

Runs PostgreSQL, a KRaft broker, the API (`taskflow serve`, Kafka transport) and the audit
consumer (`taskflow consume audit`), the outbox relay (`taskflow relay`; `--relay api` keeps it
inside the API) as separate processes on loopback. Each round measures:

- creates/s from 8 HTTP clients, then the inserts-only floor on 8 psycopg connections;
- creates/s from 1 client, then the floor on 1 connection;
- commit -> audit record (`activity.recorded_at - occurred_at`, one clock) of the 8-client
  creates, then Kafka's own end-to-end latency tool on the same broker;
- creates/s from 8 clients against a second API started with WEB_CONCURRENCY=2.

`--profile FILE` samples the API with py-spy during the first 8-client round and prints where
its time goes (raw stacks are kept in FILE); `--profile-consumer FILE` samples the
audit consumer's wall time (idle included) until it has recorded that round. The commit -> audit lag is also split at the
moment the relay marked the outbox row published: the relay's share and the consumer's.
"""

from __future__ import annotations

import argparse
import json
import signal
import time
from contextlib import ExitStack

import psycopg

from app.core import migrations
from bench.common import (
    Figure,
    Http,
    Taskflow,
    free_port,
    percentile,
    print_table,
    py_spy,
    run_parallel,
    signup,
    taskflow,
)
from bench.floors import broker_e2e_ms, floor_user, insert_rate
from bench.profile import summarise
from tests.services.kafka import KafkaBroker
from tests.services.postgres import PostgresServer


def app_writes(http: Http, path: str, clients: int, count: int) -> tuple[float, list[int], int]:
    """Creates per second from `clients` keep-alive connections (successful ones only);
    returns the new task ids and how many requests failed too."""

    def create(i: int) -> int | None:
        status, body, _ = http.request("POST", path, {"title": f"bench {i}", "priority": "P2"})
        return int(json.loads(body)["id"]) if status == 201 else None

    results, seconds = run_parallel(clients, count, create)
    ids = [i for i in results if i is not None]
    return len(ids) / seconds, ids, count - len(ids)


def audit_latencies(url: str, task_ids: list[int], timeout: float = 300) -> list[float]:
    """Waits until the audit consumer has recorded every create, then returns the lags (s)."""
    return [total for total, _ in lag_stages(url, task_ids, timeout)]


def lag_stages(url: str, task_ids: list[int], timeout: float = 300) -> list[tuple[float, float]]:
    """Per create, once all are recorded: (commit -> audit record, commit -> the relay marking
    its outbox row published). The second is the relay's share of the first (fetch, publish,
    broker ack, mark); the rest is the consumer's poll, batch transaction and offset commit."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            rows = conn.execute(
                "SELECT extract(epoch FROM a.recorded_at - a.occurred_at),"
                " extract(epoch FROM o.published_at - a.occurred_at)"
                " FROM activity a JOIN outbox o ON o.event_id = a.event_id"
                " WHERE a.event_type = 'created' AND a.task_id = ANY(%s)"
                " AND o.published_at IS NOT NULL",
                (task_ids,),
            ).fetchall()
            if len(rows) >= len(task_ids):
                return [(float(total), float(relay)) for total, relay in rows]
            if time.monotonic() > deadline:
                raise RuntimeError(f"audit recorded {len(rows)} of {len(task_ids)} creates")
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writes", type=int, default=1200, help="creates per 8-client round")
    parser.add_argument("--single", type=int, default=300, help="creates per 1-client round")
    parser.add_argument("--e2e-records", type=int, default=1000)
    parser.add_argument(
        "--relay",
        choices=("service", "api"),
        default="service",
        help="the outbox relay as `taskflow relay` (as deployed) or inside the API process",
    )
    parser.add_argument("--profile", help="py-spy raw stacks of the API during a write round")
    parser.add_argument(
        "--profile-consumer", help="py-spy raw stacks of the audit consumer during that round"
    )
    args = parser.parse_args()

    writes8 = Figure(
        name="creates/s with events, 8 writers", unit="/s", floor_name="inserts only, 8 conns"
    )
    writes1 = Figure(
        name="creates/s with events, 1 writer", unit="/s", floor_name="inserts only, 1 conn"
    )
    audit_p50 = Figure(
        name="commit -> audit p50, 8 writers", unit="ms", floor_name="broker e2e p50"
    )
    audit_p99 = Figure(
        name="commit -> audit p99, 8 writers", unit="ms", floor_name="broker e2e p99"
    )
    relay_p50 = Figure(
        name="of which commit -> marked published p50", unit="ms", floor_name="the relay's share"
    )
    relay_p99 = Figure(
        name="of which commit -> marked published p99", unit="ms", floor_name="the relay's share"
    )
    workers = Figure(
        name="creates/s, 2 API workers vs 1", unit="/s", floor_name="1 worker, same round"
    )
    notes: list[str] = []
    failures = 0

    with PostgresServer() as pg, KafkaBroker() as broker, ExitStack() as stack:
        broker.start()
        url = pg.create_database("bench_events")
        migrations.upgrade(url)
        floor_uid = floor_user(url)
        env = {
            "DATABASE_URL": url,
            "EVENT_TRANSPORT": "kafka",
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
            "OUTBOX_RELAY": args.relay,
        }
        audit_port, api_port = free_port(), free_port()
        audit = stack.enter_context(
            taskflow(["consume", "audit", "--port", str(audit_port)], env, audit_port)
        )
        if args.relay == "service":
            relay_port = free_port()
            stack.enter_context(taskflow(["relay", "--port", str(relay_port)], env, relay_port))
        api = stack.enter_context(
            taskflow(["serve", "--port", str(api_port), "--no-migrate"], env, api_port)
        )
        user_id, token = signup(api.port, "bench@example.com")
        path = f"/api/{user_id}/tasks"
        http = Http(api.port, token)
        second: Taskflow | None = None
        try:
            port2 = free_port()
            second = stack.enter_context(
                taskflow(
                    ["serve", "--port", str(port2), "--no-migrate"],
                    {**env, "WEB_CONCURRENCY": "2"},
                    port2,
                )
            )
        except RuntimeError as exc:
            notes.append(f"WEB_CONCURRENCY=2: {exc}")
        http2 = Http(second.port, token) if second else None

        audit_latencies(url, app_writes(http, path, 8, 200)[1])
        insert_rate(url, floor_uid, 8, 200)
        for round_ in range(args.rounds):
            targets = [(api, args.profile, False), (audit, args.profile_consumer, True)]
            profilers = [
                py_spy(p.proc.pid, out, wall=wall)
                for p, out, wall in targets
                if out and round_ == 0
            ]
            rate, ids, failed = app_writes(http, path, 8, args.writes)
            failures += failed
            stages = lag_stages(url, ids)
            for profiler in profilers:
                profiler.send_signal(signal.SIGINT)
                profiler.wait(timeout=60)
            writes8.add(rate, insert_rate(url, floor_uid, 8, args.writes))
            lags = [total for total, _ in stages]
            relay_p50.add(percentile([relay for _, relay in stages], 50) * 1000)
            relay_p99.add(percentile([relay for _, relay in stages], 99) * 1000)
            e2e_p50, e2e_p99 = broker_e2e_ms(broker, args.e2e_records)
            audit_p50.add(percentile(lags, 50) * 1000, e2e_p50)
            audit_p99.add(percentile(lags, 99) * 1000, e2e_p99)

            floor1 = insert_rate(url, floor_uid, 1, args.single)
            rate1, ids, failed = app_writes(http, path, 1, args.single)
            failures += failed
            writes1.add(rate1, floor1)
            audit_latencies(url, ids)

            if http2 is not None:
                rate2, ids, failed = app_writes(http2, path, 8, args.writes)
                audit_latencies(url, ids)
                rate1w, more, failed_too = app_writes(http, path, 8, args.writes)
                audit_latencies(url, more)
                failures += failed + failed_too
                workers.add(rate2, rate1w)
            print(f"round {round_ + 1}/{args.rounds} done", flush=True)

    notes.append(f"Failed creates (not 201): {failures}; relay: {args.relay}")
    figures = [writes8, writes1, audit_p50, audit_p99, relay_p50, relay_p99]
    if workers.app:
        figures.append(workers)
    print_table("Writes and events (PostgreSQL + Kafka)", figures, notes)
    for out in (args.profile, args.profile_consumer):
        if out:
            summarise(out)


if __name__ == "__main__":
    main()
