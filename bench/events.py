"""Events through a real Kafka broker: sustained API writes per second with events on, and the
end-to-end latency from commit to the audit record.

    uv run python -m bench.events [--writes 2000] [--clients 8]

Runs PostgreSQL, a KRaft broker, the API (`taskflow serve`, Kafka transport) and the audit
consumer (`taskflow consume audit`) as separate processes on loopback, then creates tasks through HTTP from concurrent clients.
Latency is `activity.recorded_at - event occurred_at` (both taken from the same clock).
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

from app.core import migrations
from bench.common import percentile
from tests.services.kafka import KafkaBroker
from tests.services.postgres import PostgresServer, _free_port


@contextmanager
def process(args: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    """A Taskflow process of its own (as deployed), waited on until /healthz answers."""
    proc = subprocess.Popen(
        [str(Path(sys.prefix) / "bin" / "taskflow"), *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    with PostgresServer() as pg, KafkaBroker() as broker:
        broker.start()
        url = pg.create_database("bench_events")
        migrations.upgrade(url)
        env = {
            "DATABASE_URL": url,
            "JWT_SECRET": "bench-secret-that-is-long-enough-0123456789",
            "EVENT_TRANSPORT": "kafka",
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
            "LOG_LEVEL": "WARNING",
        }
        api_port, audit_port = _free_port(), _free_port()
        with (
            process(["consume", "audit", "--port", str(audit_port)], env, audit_port),
            process(["serve", "--port", str(api_port), "--no-migrate"], env, api_port) as base,
            httpx.Client(base_url=base, timeout=30) as client,
        ):
            me = client.post(
                "/api/auth/signup",
                json={"email": "ev@example.com", "password": "bench-password", "name": "E"},
            ).json()
            headers = {"Authorization": f"Bearer {me['access_token']}"}
            tasks_url = f"/api/{me['user']['id']}/tasks"
            client.post(tasks_url, json={"title": "warm-up"}, headers=headers)
            local = threading.local()

            def write(i: int) -> int:
                if not hasattr(local, "client"):
                    local.client = httpx.Client(base_url=base, timeout=30)
                response = local.client.post(
                    tasks_url, json={"title": f"bench {i}", "priority": "P2"}, headers=headers
                )
                return int(response.status_code)

            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                codes = list(pool.map(write, range(args.writes)))
            elapsed = time.perf_counter() - started
            assert all(code == 201 for code in codes), set(codes)
            print(
                f"writes: {args.writes} in {elapsed:.2f} s = {args.writes / elapsed:,.0f} writes/s ({args.clients} clients, events on)"
            )

            deadline = time.monotonic() + 300
            with psycopg.connect(url) as conn:
                while True:
                    (done,) = conn.execute("SELECT count(*) FROM activity").fetchone() or (0,)
                    if done >= args.writes + 1 or time.monotonic() > deadline:
                        break
                    time.sleep(0.2)
                drained = time.perf_counter() - started
                rows = conn.execute(
                    "SELECT extract(epoch FROM recorded_at - occurred_at) FROM activity WHERE event_type = 'created'"
                ).fetchall()
            latencies = [float(r[0]) for r in rows]
            print(
                f"audited: {len(latencies)} events; all consumed {drained:.2f} s after the first write"
            )
            print(
                "commit -> audit record: "
                f"p50 {percentile(latencies, 50) * 1000:.1f} ms  p99 {percentile(latencies, 99) * 1000:.1f} ms"
                f"  max {max(latencies) * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main()
