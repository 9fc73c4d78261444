"""Background work of the API process: the outbox relay, and whatever the transport runs
inside the API (the embedded consumers and the reminder timer of the in-process transport)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.engine import Engine

from app.consumers.base import Consumer
from app.consumers.registry import CONSUMERS, build_consumer
from app.core.config import Settings
from app.events.relay import OutboxRelay
from app.realtime.hub import ConnectionHub
from app.transports import Job, Transport

logger = logging.getLogger(__name__)


class EventRuntime:
    def __init__(
        self, settings: Settings, engine: Engine, hub: ConnectionHub, transport: Transport
    ) -> None:
        self.publisher = transport.publisher()
        self.consumers: list[Consumer] = []
        jobs: list[Job] = []
        if transport.embeds_consumers:
            sink = transport.dead_letter_sink(engine, self.publisher)
            for name in CONSUMERS:
                consumer = build_consumer(
                    name, settings=settings, engine=engine, dead_letters=sink, hub=hub
                )
                host = transport.host(consumer)
                jobs.extend(job for job in (host.run,) if job is not None)
                self.consumers.append(consumer)
        self.relay = OutboxRelay(
            engine,
            self.publisher,
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
        )
        # Without embedded consumers the reminders service runs the timer (if any).
        timers = transport.reminder_jobs(engine) if transport.embeds_consumers else []
        self._jobs = [self.relay.run, *jobs, *timers]
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        try:
            await self.publisher.start()
        except Exception:
            # The relay retries on its own; the API must come up while the broker is away.
            logger.warning("publisher did not start; the relay will keep trying", exc_info=True)
        self._tasks = [asyncio.create_task(job()) for job in self._jobs]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.publisher.stop()
        self.relay.close()
