"""Background jobs stop with their process: cancelled, awaited, and never allowed to hang it."""

from __future__ import annotations

import asyncio
import logging

import pytest

from app.core import jobs


def test_a_job_that_ignores_its_cancellation_is_named_and_left_behind(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(jobs, "STOP_SECONDS", 0.2)

    async def scenario() -> tuple[bool, int]:
        release = asyncio.Event()

        async def obedient() -> None:
            await asyncio.sleep(3600)

        async def stubborn() -> None:
            while True:
                try:
                    await release.wait()
                    return
                except asyncio.CancelledError:
                    continue  # as a driver that loses a cancellation would

        async with jobs.running([obedient, stubborn]) as live:
            await asyncio.sleep(0)
            alive = live()
        leftover = [t for t in asyncio.all_tasks() if t.get_name().endswith("stubborn")]
        release.set()  # let the test's loop close
        await asyncio.gather(*leftover)
        return alive, len(leftover)

    with caplog.at_level(logging.WARNING, logger=jobs.logger.name):
        alive, left = asyncio.run(scenario())
    assert alive and left == 1
    assert [r.getMessage() for r in caplog.records] == [
        "job test_a_job_that_ignores_its_cancellation_is_named_and_left_behind.<locals>"
        ".scenario.<locals>.stubborn did not stop within 0s"
    ]
