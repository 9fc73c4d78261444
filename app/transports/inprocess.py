"""The embedded default: topics are in-memory fan-out to the consumers of this process, which
also runs the reminder check on a timer. One process runs everything."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.consumers.base import Consumer
from app.core.config import Settings
from app.core.jobs import Job
from app.core.periodic import periodic
from app.events.dead_letters import DatabaseDeadLetterSink, DeadLetterSink, report_depth
from app.events.transport import Message, Publisher, TransientError, TransientPublishError
from app.services.reminders import fire_due_reminders
from app.transports.base import ConsumerHost, DatabaseBacked

# A subscriber takes a batch, in publication order (Consumer.handle_batch).
Subscriber = Callable[[list[Message]], Awaitable[object]]


class InProcessBus:
    """Publishing awaits every subscriber, so the outbox marks an event sent only once handled."""

    def __init__(self) -> None:
        self._subscribers: dict[str, list[Subscriber]] = defaultdict(list)

    def subscribe(self, topic: str, subscriber: Subscriber) -> None:
        self._subscribers[topic].append(subscriber)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, messages: list[Message]) -> None:
        # Each subscriber gets its share of the batch at once, in order, so a consumer looks
        # up and records duplicates once per batch, as it does behind Kafka. The consumers
        # are independent: they run side by side, so none waits for another's batch.
        shares: dict[Subscriber, list[Message]] = {}
        for message in messages:
            for subscriber in self._subscribers.get(message.topic, []):
                shares.setdefault(subscriber, []).append(message)
        results = await asyncio.gather(
            *(subscriber(share) for subscriber, share in shares.items()), return_exceptions=True
        )
        failures = [r for r in results if isinstance(r, BaseException)]
        for failure in failures:
            if not isinstance(failure, TransientError):
                raise failure
        if failures:
            # The relay backs off and hands the whole batch again; duplicates are skipped.
            raise TransientPublishError(str(failures[0])) from failures[0]


def _housekeeping(engine: Engine) -> None:
    with Session(engine) as session:
        fire_due_reminders(session=session)
    with Session(engine) as session:
        report_depth(session=session)


class InProcessTransport(DatabaseBacked):
    name = "inprocess"
    embeds_consumers = True

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._bus = InProcessBus()

    def publisher(self) -> Publisher:
        return self._bus

    def dead_letter_sink(self, engine: Engine, publisher: Publisher) -> DeadLetterSink:
        # No broker to hold a -dlq topic: the table is the dead-letter queue.
        return DatabaseDeadLetterSink(engine)

    def host(self, consumer: Consumer) -> ConsumerHost:
        for topic in consumer.topics:
            self._bus.subscribe(topic, consumer.handle_batch)
        return ConsumerHost()

    def reminder_jobs(self, engine: Engine) -> list[Job]:
        return [
            periodic(
                lambda: _housekeeping(engine),
                every=self.settings.reminder_check_seconds,
                what="reminder check",
            )
        ]
