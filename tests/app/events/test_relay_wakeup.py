"""The relay wakes on the outbox's NOTIFY (migration 0010), so a commit in another process is
published at once, not at the next poll; its listening connection comes back when it is cut."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy.engine import Engine

from app.core import migrations
from app.core.db import make_engine
from app.events import relay as relay_module
from app.events.relay import OutboxRelay, Pacing
from app.events.transport import Message
from tests.services.postgres import PostgresServer
from tests.utils.waiting import eventually

LISTENERS = "SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN outbox' AND datname = %s"


class RecordingPublisher:
    """Stands in for the broker: what is under test is when the relay wakes, not delivery."""

    def __init__(self) -> None:
        self.published: list[Message] = []

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def publish(self, messages: list[Message]) -> None:
        self.published.extend(messages)


@pytest.fixture
def database(postgres_server: PostgresServer) -> Iterator[tuple[str, Engine]]:
    name = f"relay_{uuid.uuid4().hex[:8]}"
    url = postgres_server.create_database(name)
    migrations.upgrade(url)
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


async def _until(probe: Callable[[], object]) -> None:
    # In a thread: the relay runs on this loop meanwhile.
    await asyncio.to_thread(eventually, probe, timeout=15)


def test_a_commit_elsewhere_wakes_the_relay_and_a_cut_listener_reconnects(
    database: tuple[str, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, engine = database
    monkeypatch.setattr(relay_module, "LISTEN_RETRY_SECONDS", 0.1)
    publisher = RecordingPublisher()
    # An hour's poll: within the test only a NOTIFY can wake it.
    relay = OutboxRelay(engine, publisher, pacing=Pacing(poll_seconds=3600))
    name = engine.url.database

    def listeners() -> list[int]:
        with psycopg.connect(url, autocommit=True) as conn:
            return [row[0] for row in conn.execute(LISTENERS, (name,))]

    def write_event(event_id: str) -> None:
        # Plain SQL on its own connection, as another process would: no commit hook here.
        with psycopg.connect(url) as conn:
            conn.execute(
                "INSERT INTO outbox (topic, key, event_id, payload, attempts, created_at)"
                " VALUES ('task-events', 'k', %s, '{}', 0, now())",
                (event_id,),
            )

    def published(event_id: str) -> bool:
        return any(m.headers.get("event_id") == event_id for m in publisher.published)

    async def scenario() -> None:
        running = asyncio.create_task(relay.run())
        try:
            await _until(listeners)
            await asyncio.to_thread(write_event, "first")
            await _until(lambda: published("first"))
            [cut] = await asyncio.to_thread(listeners)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("SELECT pg_terminate_backend(%s)", (cut,))
            await _until(lambda: listeners() not in ([], [cut]))
            await asyncio.to_thread(write_event, "second")
            await _until(lambda: published("second"))
        finally:
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running
            relay.close()

    asyncio.run(scenario())
    assert [m.headers["event_id"] for m in publisher.published] == ["first", "second"]
