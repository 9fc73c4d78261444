"""Background work of the API process: the outbox relay, and in embedded mode the consumers
and the reminder scheduler too, so one process runs everything."""

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.consumers.base import Consumer
from app.consumers.dead_letters import DatabaseDeadLetterSink
from app.consumers.registry import CONSUMERS, build_consumer
from app.core.config import Settings
from app.events.dlq import report_depth
from app.events.factory import build_publisher
from app.events.inprocess import InProcessBus
from app.events.relay import OutboxRelay
from app.realtime.hub import ConnectionHub
from app.services.reminders import fire_due_reminders

logger = logging.getLogger(__name__)


class EventRuntime:
    def __init__(self, settings: Settings, engine: Engine, hub: ConnectionHub) -> None:
        self.settings = settings
        self.engine = engine
        self.hub = hub
        self.consumers: list[Consumer] = []
        bus: InProcessBus | None = None
        if settings.event_transport == "inprocess":
            bus = InProcessBus()
            sink = DatabaseDeadLetterSink(engine)
            for name in CONSUMERS:
                consumer = build_consumer(
                    name, settings=settings, engine=engine, dead_letters=sink, hub=hub
                )
                for topic in consumer.topics:
                    bus.subscribe(topic, consumer.handle_batch)
                self.consumers.append(consumer)
        self.publisher = build_publisher(settings, bus)
        self.relay = OutboxRelay(
            engine,
            self.publisher,
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
        )
        self._tasks: list[asyncio.Task[None]] = []

    def check_reminders(self) -> int:
        with Session(self.engine) as session:
            return fire_due_reminders(session=session)

    def _housekeeping(self) -> None:
        self.check_reminders()
        with Session(self.engine) as session:
            report_depth(session=session)

    async def _reminder_loop(self) -> None:
        while True:
            try:
                await asyncio.to_thread(self._housekeeping)
            except Exception:
                logger.exception("reminder check failed")
            await asyncio.sleep(self.settings.reminder_check_seconds)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.append(asyncio.create_task(coro))

    async def start(self) -> None:
        try:
            await self.publisher.start()
        except Exception:
            # The relay retries on its own; the API must come up while the broker is away.
            logger.warning("publisher did not start; the relay will keep trying", exc_info=True)
        self._spawn(self.relay.run())
        if self.settings.event_transport == "inprocess":
            self._spawn(self._reminder_loop())

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.publisher.stop()
        self.relay.close()
