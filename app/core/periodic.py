"""Background work on a timer, for the process roots and transports: each tick runs in a
worker thread, so blocking database work never stalls the event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

logger = logging.getLogger(__name__)


def periodic(
    work: Callable[[], object], *, every: float, what: str, first_after: float = 0.0
) -> Callable[[], Coroutine[Any, Any, None]]:
    """A job that runs `work` every `every` seconds until cancelled, the first time after
    `first_after` seconds. A failing tick (the database away) is logged and the next tick
    tries again. `work` opens its own session: it lives and dies in the worker thread, so a
    shutdown that cancels the await cannot close it under a running query."""

    async def job() -> None:
        await asyncio.sleep(first_after)
        while True:
            try:
                await asyncio.to_thread(work)
            except Exception:
                logger.warning("%s failed", what, exc_info=True)
            await asyncio.sleep(every)

    return job
