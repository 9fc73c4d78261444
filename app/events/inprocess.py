"""The embedded default: topics are in-memory fan-out to the consumers of this process."""

from collections import defaultdict
from collections.abc import Awaitable, Callable

from app.events.transport import Message

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
        # up and records duplicates once per batch, as it does behind Kafka.
        shares: dict[Subscriber, list[Message]] = {}
        for message in messages:
            for subscriber in self._subscribers.get(message.topic, []):
                shares.setdefault(subscriber, []).append(message)
        for subscriber, share in shares.items():
            await subscriber(share)
