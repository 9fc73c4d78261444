"""Background jobs of a process: coroutines started with it and cancelled when it stops."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from typing import Any

Job = Callable[[], Coroutine[Any, Any, None]]


@contextlib.asynccontextmanager
async def running(jobs: Iterable[Job]) -> AsyncIterator[Callable[[], bool]]:
    """Runs each job as a task for the body's duration, then cancels and awaits them all.
    Yields a liveness check: a job that has ended is a dead loop nothing would restart."""
    tasks = [asyncio.create_task(job()) for job in jobs]
    try:
        yield lambda: not any(task.done() for task in tasks)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
