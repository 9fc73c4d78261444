"""Shared set-up for benchmarks: a real PostgreSQL, the real app under uvicorn, percentiles."""

import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from app.core.config import Settings
from app.main import create_app
from tests.services.postgres import _free_port


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def summary_ms(samples: list[float]) -> str:
    return (
        f"p50 {percentile(samples, 50) * 1000:7.2f} ms  p95 {percentile(samples, 95) * 1000:7.2f} ms"
        f"  p99 {percentile(samples, 99) * 1000:7.2f} ms  mean {statistics.fmean(samples) * 1000:7.2f} ms"
    )


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The app on a loopback port in a background thread; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
