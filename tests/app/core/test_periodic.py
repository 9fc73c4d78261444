from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from app.core.periodic import periodic


def test_periodic_keeps_ticking_after_a_failed_tick(caplog: pytest.LogCaptureFixture) -> None:
    threads: list[threading.Thread] = []

    async def run() -> None:
        loop = asyncio.get_running_loop()
        third_tick = asyncio.Event()

        def work() -> None:
            threads.append(threading.current_thread())
            if len(threads) == 3:
                loop.call_soon_threadsafe(third_tick.set)
            if len(threads) == 1:
                raise ConnectionError("database away")

        job = asyncio.create_task(periodic(work, every=0, what="check")())
        await third_tick.wait()
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job

    with caplog.at_level(logging.WARNING, logger="app.core.periodic"):
        asyncio.run(run())
    # Each tick ran in a worker thread, so blocking work never stalled the event loop.
    assert threading.main_thread() not in threads
    assert [r.getMessage() for r in caplog.records] == ["check failed"]
