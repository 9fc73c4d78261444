"""Background jobs of a process: coroutines started with it and cancelled when it stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from typing import Any

Job = Callable[[], Coroutine[Any, Any, None]]
STOP_SECONDS = 10.0
logger = logging.getLogger(__name__)


def _name(job: Job) -> str:
    return getattr(job, "__qualname__", repr(job))


@contextlib.asynccontextmanager
async def running(jobs: Iterable[Job]) -> AsyncIterator[Callable[[], bool]]:
    """Runs each job as a task for the body's duration, then cancels and awaits them all.
    Yields a liveness check: a job that has ended is a dead loop nothing would restart."""
    tasks = [asyncio.create_task(job(), name=_name(job)) for job in jobs]
    try:
        yield lambda: not any(task.done() for task in tasks)
    finally:
        for task in tasks:
            task.cancel()
        # Bounded: a job stuck past its cancellation (a driver that loses it) must not hang
        # the process's shutdown; it is named so it can be found.
        stopped, stuck = await asyncio.wait(tasks, timeout=STOP_SECONDS) if tasks else ((), ())
        for task in stuck:
            logger.warning("job %s did not stop within %.0fs", task.get_name(), STOP_SECONDS)
        for task in stopped:
            if not task.cancelled() and task.exception() is not None:
                logger.error("job %s had ended", task.get_name(), exc_info=task.exception())
