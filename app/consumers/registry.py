"""The consumer services by name: the topics each reads and the handler it runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from app.consumers import handlers
from app.consumers.base import Consumer, Delivery, Handler
from app.contracts import REMINDERS, TASK_EVENTS, TASK_UPDATES
from app.core.config import Settings
from app.events.dead_letters import DeadLetterSink
from app.realtime.hub import ConnectionHub


@dataclass(frozen=True, kw_only=True)
class ConsumerSpec:
    topics: tuple[str, ...]
    handler: Callable[[ConnectionHub], Handler]
    broadcast: bool = False


CONSUMERS: dict[str, ConsumerSpec] = {
    "recurring": ConsumerSpec(topics=(TASK_EVENTS,), handler=lambda _: handlers.recurring),
    "reminders": ConsumerSpec(topics=(REMINDERS,), handler=lambda _: handlers.reminders),
    "audit": ConsumerSpec(topics=(TASK_EVENTS, REMINDERS), handler=lambda _: handlers.audit),
    # Every realtime replica must see every update: its sockets are its own.
    "realtime": ConsumerSpec(topics=(TASK_UPDATES,), handler=handlers.realtime, broadcast=True),
}


def build_consumer(
    name: str,
    *,
    settings: Settings,
    engine: Engine,
    dead_letters: DeadLetterSink,
    hub: ConnectionHub,
) -> Consumer:
    try:
        spec = CONSUMERS[name]
    except KeyError:
        raise ValueError(f"unknown consumer {name!r}; choose from {', '.join(CONSUMERS)}") from None
    return Consumer(
        name,
        spec.topics,
        spec.handler(hub),
        engine=engine,
        dead_letters=dead_letters,
        delivery=Delivery(
            max_attempts=settings.consumer_max_attempts, dedup_window=settings.dedup_window
        ),
        broadcast=spec.broadcast,
    )
