"""Background work of the API process: the outbox relay, whatever the transport runs inside
the API (the embedded consumers and the reminder timer of the in-process transport), and the
hourly purge of tasks deleted longer ago than they stay restorable."""

from __future__ import annotations

import contextlib
import logging
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.consumers.base import Consumer
from app.consumers.registry import CONSUMERS, build_consumer
from app.core.config import Settings
from app.core.jobs import Job, running
from app.core.periodic import periodic
from app.events.relay import OutboxRelay, Pacing, start_publisher
from app.realtime.hub import ConnectionHub
from app.services.tasks import RESTORE_WINDOW, purge_deleted_tasks
from app.transports import Transport

logger = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600.0
PURGE_FIRST_AFTER_SECONDS = 60.0


def purge_deleted(engine: Engine) -> None:
    """Removes for good the tasks deleted longer than RESTORE_WINDOW ago (idempotent, so
    every API worker may run it)."""
    with Session(engine) as session:
        purged = purge_deleted_tasks(session=session)
    if purged:
        logger.info("purged %d tasks deleted more than %s ago", purged, RESTORE_WINDOW)


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
        # With OUTBOX_RELAY=service, `taskflow relay` publishes instead (app/relay_main.py).
        self.relay = (
            OutboxRelay(engine, self.publisher, pacing=Pacing.from_settings(settings))
            if settings.outbox_relay == "api" or transport.embeds_consumers
            else None
        )
        # Without embedded consumers the reminders service runs the timer (if any).
        timers = transport.reminder_jobs(engine) if transport.embeds_consumers else []
        purge = periodic(
            partial(purge_deleted, engine),
            every=PURGE_EVERY_SECONDS,
            what="purge of deleted tasks",
            # Not at start-up: a process that lives for seconds (a test, a CLI) never needs it.
            first_after=PURGE_FIRST_AFTER_SECONDS,
        )
        relay_jobs = [self.relay.run] if self.relay is not None else []
        self._jobs = [*relay_jobs, *jobs, *timers, purge]
        self._running = contextlib.AsyncExitStack()

    async def start(self) -> None:
        await start_publisher(self.publisher)
        await self._running.enter_async_context(running(self._jobs))

    async def stop(self) -> None:
        await self._running.aclose()
        await self.publisher.stop()
        if self.relay is not None:
            self.relay.close()
