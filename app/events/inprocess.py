"""The embedded default: topics are in-memory fan-out to the consumers of this process."""

from collections import defaultdict
from collections.abc import Awaitable, Callable

from app.events.transport import Message

Subscriber = Callable[[Message], Awaitable[object]]


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
        for message in messages:
            for subscriber in self._subscribers.get(message.topic, []):
                await subscriber(message)
