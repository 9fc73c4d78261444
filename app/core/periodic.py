"""Background work on a timer, for the process roots and transports: each tick runs in a
worker thread, so blocking database work never stalls the event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

logger = logging.getLogger(__name__)


def periodic(
    work: Callable[[], object], *, every: float, what: str
) -> Callable[[], Coroutine[Any, Any, None]]:
    """A job that runs `work` every `every` seconds until cancelled. A failing tick (the
    database away) is logged and the next tick tries again. `work` opens its own session:
    it lives and dies in the worker thread, so a shutdown that cancels the await cannot
    close it under a running query."""

    async def job() -> None:
        while True:
            try:
                await asyncio.to_thread(work)
            except Exception:
                logger.warning("%s failed", what, exc_info=True)
            await asyncio.sleep(every)

    return job
