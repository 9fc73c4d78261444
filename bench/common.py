"""Shared pieces of the benchmarks: Taskflow as its own process, a cheap HTTP client,
percentiles, and the table of figures against their floors.

The machine is shared and noisy, so every figure is measured in rounds interleaved with its
floor, and the table reports the ratio per round (median and range), not absolute numbers alone.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tests.services.postgres import _free_port

JWT_SECRET = "bench-secret-that-is-long-enough-0123456789"


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary_ms(samples: list[float]) -> str:
    return (
        f"p50 {percentile(samples, 50) * 1000:7.2f} ms  p95 {percentile(samples, 95) * 1000:7.2f} ms"
        f"  p99 {percentile(samples, 99) * 1000:7.2f} ms  mean {statistics.fmean(samples) * 1000:7.2f} ms"
    )


def free_port() -> int:
    return _free_port()


@dataclass(kw_only=True)
class Taskflow:
    """A running `taskflow` process and where it answers."""

    proc: subprocess.Popen[bytes]
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def taskflow(args: list[str], env: dict[str, str], port: int) -> Iterator[Taskflow]:
    """A Taskflow process of its own (as deployed), waited on until /healthz answers.

    Raises RuntimeError with the exit code if the process dies before answering.
    """
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [str(Path(sys.prefix) / "bin" / "taskflow"), *args],
            env={**os.environ, "JWT_SECRET": JWT_SECRET, "LOG_LEVEL": "WARNING", **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # Several workers each import the app: minutes, not seconds, on a loaded machine.
            deadline = time.monotonic() + 300
            while not _healthy(port):
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"`taskflow {' '.join(args)}` exited with code {proc.returncode}: {_tail(log)}"
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(f"`taskflow {' '.join(args)}` did not answer: {_tail(log)}")
                time.sleep(0.1)
            yield Taskflow(proc=proc, port=port)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _tail(log: IO[bytes]) -> str:
    log.seek(0)
    return " | ".join(log.read().decode(errors="replace").strip().splitlines()[-5:])


def _healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


class Http:
    """A keep-alive connection per thread on the standard library client: a load generator
    must cost little CPU, since it shares the two cores with the server it measures."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self._local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self._local.conn = conn
        return conn

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes, float]:
        """Returns status, body and the seconds from sending to the last byte."""
        payload = None if body is None else json.dumps(body).encode()
        try:
            return self._send(method, path, payload)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed a connection idle past its keep-alive timeout: reconnect.
            self._conn().close()
            self._local.conn = None
            return self._send(method, path, payload)

    def _send(self, method: str, path: str, payload: bytes | None) -> tuple[int, bytes, float]:
        conn = self._conn()
        started = time.perf_counter()
        conn.request(method, path, body=payload, headers=self.headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started

    def get(self, path: str) -> tuple[int, bytes, float]:
        return self.request("GET", path)


def signup(port: int, email: str) -> tuple[str, str]:
    """A new account; returns (user id, access token)."""
    status, body, _ = Http(port).request(
        "POST", "/api/auth/signup", {"email": email, "password": "bench-password", "name": "B"}
    )
    if status != 201:
        raise RuntimeError(f"sign-up answered {status}: {body[:200]!r}")
    me = json.loads(body)
    return str(me["user"]["id"]), str(me["access_token"])


def run_parallel(workers: int, count: int, work: Callable[[int], Any]) -> tuple[list[Any], float]:
    """Runs work(0..count-1) on `workers` threads; returns the results and the wall time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(work, range(count)))
    return results, time.perf_counter() - started


@dataclass(kw_only=True)
class Figure:
    """One row of the result table: Taskflow's value and its floor, per round."""

    name: str
    unit: str
    floor_name: str
    app: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)

    def add(self, app: float, floor: float | None = None) -> None:
        self.app.append(app)
        if floor is not None:
            self.floor.append(floor)

    def ratios(self) -> list[float]:
        """Taskflow / floor per round: a share of the floor for rates, a multiple for times."""
        pairs = zip(self.app, self.floor, strict=False)
        return [a / f if f else float("nan") for a, f in pairs]

    def row(self) -> tuple[str, str, str, str]:
        ratio = ""
        if self.floor:
            ratios = self.ratios()
            ratio = f"{statistics.median(ratios):.3g} ({min(ratios):.3g}-{max(ratios):.3g})"
        floor = f"{self.floor_name}: {_range(self.floor)}" if self.floor else self.floor_name
        return (f"{self.name}", f"{_range(self.app)} {self.unit}", floor, ratio)


def _range(values: list[float]) -> str:
    if not values:
        return "-"
    fmt = "{:,.0f}" if max(values) >= 100 else "{:,.1f}" if max(values) >= 10 else "{:,.2f}"
    low, high = min(values), max(values)
    return fmt.format(low) if len(values) == 1 else f"{fmt.format(low)}-{fmt.format(high)}"


def print_table(title: str, figures: list[Figure], notes: list[str] | None = None) -> None:
    print(f"\n### {title}\n")
    print("| figure | Taskflow | floor in the same run | ratio, median (range) |")
    print("|---|---|---|---|")
    for figure in figures:
        print("| " + " | ".join(figure.row()) + " |")
    for note in notes or []:
        print(f"\n{note}")
    sys.stdout.flush()


def py_spy(pid: int, out: str, *, wall: bool = False) -> subprocess.Popen[bytes]:
    """CPU samples (holding the GIL), or with `wall` every sample, idle ones included."""
    return subprocess.Popen(
        [
            "uvx",
            "py-spy",
            "record",
            "--pid",
            str(pid),
            "--rate",
            "250",
            "--format",
            "raw",
            "--output",
            out,
            "--nonblocking",
            "--idle" if wall else "--gil",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
