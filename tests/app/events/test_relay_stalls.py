"""An unreachable broker makes a publish hang, not fail: the relay reports the stall once
when it starts and once when the publish goes through, each with the backlog."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel

from app.core.db import make_engine
from app.events import relay as relay_module
from app.events.relay import OutboxRelay
from app.events.transport import Message
from app.models.outbox import OutboxMessage


class HangingPublisher:
    """Holds every publish until released, as aiokafka does while the broker is away."""

    def __init__(self) -> None:
        self.released = asyncio.Event()
        self.published: list[Message] = []

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def publish(self, messages: list[Message]) -> None:
        await self.released.wait()
        self.published.extend(messages)


def _relay_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == relay_module.logger.name]


def test_a_hanging_publish_is_reported_when_it_stalls_and_when_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(relay_module, "STALL_REPORT_SECONDS", 0.2)
    engine = make_engine(f"sqlite:///{tmp_path / 'relay.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(
            OutboxMessage(topic="task-events", key="k", event_id=str(uuid.uuid4()), payload="{}")
            for _ in range(3)
        )
        session.commit()
    publisher = HangingPublisher()
    relay = OutboxRelay(engine, publisher)

    async def scenario() -> int:
        publishing = asyncio.create_task(relay.publish_pending())
        await asyncio.sleep(0.6)  # past the stall threshold, broker still away
        stalled = [r.getMessage() for r in _relay_lines(caplog)]
        assert len(stalled) == 1 and "stalled" in stalled[0] and "backlog 3" in stalled[0]
        publisher.released.set()  # the broker is back
        return await publishing

    with caplog.at_level(logging.WARNING, logger=relay_module.logger.name):
        sent = asyncio.run(scenario())
    lines = [r.getMessage() for r in _relay_lines(caplog)]
    assert sent == 3 and len(publisher.published) == 3
    assert len(lines) == 2 and "resumed" in lines[1] and "backlog of 3" in lines[1]
    assert all(getattr(r, "backlog", None) == 3 for r in _relay_lines(caplog))
    assert relay.backlog() == 0


def test_a_prompt_publish_reports_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'relay.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(OutboxMessage(topic="task-events", key="k", event_id="e1", payload="{}"))
        session.commit()
    publisher = HangingPublisher()
    publisher.released.set()
    with caplog.at_level(logging.WARNING, logger=relay_module.logger.name):
        assert asyncio.run(OutboxRelay(engine, publisher).publish_pending()) == 1
    assert _relay_lines(caplog) == []
