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


def test_periodic_waits_first_after_before_its_first_tick() -> None:
    ticks: list[int] = []

    async def run() -> None:
        job = asyncio.create_task(
            periodic(lambda: ticks.append(1), every=0, what="purge", first_after=3600)()
        )
        await asyncio.sleep(0.2)  # long enough for many ticks, were there no first wait
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job

    asyncio.run(run())
    assert ticks == []
