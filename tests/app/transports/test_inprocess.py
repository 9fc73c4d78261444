"""The in-process bus: each consumer gets its share of a batch, in order, side by side."""

from __future__ import annotations

import asyncio

import pytest

from app.events.transport import Message, TransientError, TransientPublishError
from app.transports.inprocess import InProcessBus


def _messages(topic: str, count: int) -> list[Message]:
    return [Message(topic=topic, key="k", value=str(i).encode()) for i in range(count)]


async def test_each_subscriber_gets_its_topics_share_in_order() -> None:
    bus = InProcessBus()
    got: dict[str, list[bytes]] = {"a": [], "b": []}

    async def a(batch: list[Message]) -> None:
        got["a"] += [m.value for m in batch]

    async def b(batch: list[Message]) -> None:
        got["b"] += [m.value for m in batch]

    bus.subscribe("one", a)
    bus.subscribe("one", b)
    bus.subscribe("two", b)
    await bus.publish(_messages("one", 3) + _messages("two", 2))
    assert got == {"a": [b"0", b"1", b"2"], "b": [b"0", b"1", b"2", b"0", b"1"]}


async def test_consumers_run_side_by_side() -> None:
    # The first subscriber can only finish once the second has started: one after the other,
    # this publish would never return.
    bus = InProcessBus()
    second_started = asyncio.Event()

    async def waits_for_the_other(batch: list[Message]) -> None:
        await second_started.wait()

    async def other(batch: list[Message]) -> None:
        second_started.set()

    bus.subscribe("t", waits_for_the_other)
    bus.subscribe("t", other)
    await asyncio.wait_for(bus.publish(_messages("t", 1)), timeout=30)


async def test_an_outage_in_one_consumer_fails_the_publish_after_the_others_ran() -> None:
    bus = InProcessBus()
    handled: list[bytes] = []

    async def away(batch: list[Message]) -> None:
        raise TransientError("database is away")

    async def fine(batch: list[Message]) -> None:
        handled.extend(m.value for m in batch)

    bus.subscribe("t", away)
    bus.subscribe("t", fine)
    with pytest.raises(TransientPublishError):
        await bus.publish(_messages("t", 2))
    assert handled == [b"0", b"1"]  # handed again with the retry; its duplicates are skipped
