"""The reusable consumer: duplicates, poison messages, retries, dead letters."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from app.consumers import handlers
from app.consumers.base import BoundedWindow, Consumer, Delivery, Handler, Status
from app.core.db import make_engine
from app.core.migrations import upgrade
from app.events.dead_letters import DatabaseDeadLetterSink, DeadLetterRecord
from app.events.schemas import DomainEvent, TaskEvent
from app.events.transport import Message, TransientError
from app.models.activity import ActivityEntry
from app.models.dead_letter import DeadLetter
from app.models.processed_event import ProcessedEvent
from app.models.user import User


class ListSink:
    def __init__(self) -> None:
        self.records: list[DeadLetterRecord] = []

    async def park(self, record: DeadLetterRecord) -> None:
        self.records.append(record)


class ScriptedHandler:
    def __init__(self, *statuses: Status | Exception) -> None:
        self.script = list(statuses)
        self.calls: list[DomainEvent] = []

    def __call__(self, event: DomainEvent, *, session: Session) -> Status:
        self.calls.append(event)
        step = self.script.pop(0) if self.script else "SUCCESS"
        if isinstance(step, Exception):
            raise step
        return step


@pytest.fixture
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path_factory.mktemp('consumer')}/c.db"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _message(event: DomainEvent, value: bytes | None = None) -> Message:
    body = value if value is not None else json.dumps(event.cloud_event()).encode()
    return Message(
        topic=event.topic,
        key=event.key,
        value=body,
        headers={"event_id": str(event.event_id)},
        partition=0,
        offset=42,
    )


def _event() -> TaskEvent:
    return TaskEvent(task_id=1, user_id=uuid.uuid4(), event_type="created", changes={"title": "t"})


def _consumer(engine: Engine, handler: Handler, sink: ListSink, name: str = "test") -> Consumer:
    return Consumer(
        name,
        ("task-events",),
        handler,
        engine=engine,
        dead_letters=sink,
        delivery=Delivery(max_attempts=3, retry_delay_seconds=0),
    )


async def test_handle_success_then_duplicate_is_skipped(engine: Engine) -> None:
    handler, sink = ScriptedHandler(), ListSink()
    consumer = _consumer(engine, handler, sink)
    event = _event()
    assert await consumer.handle(_message(event)) == "success"
    assert await consumer.handle(_message(event)) == "duplicate"
    assert len(handler.calls) == 1


async def test_duplicate_is_detected_after_restart_from_database(engine: Engine) -> None:
    event = _event()
    first = ScriptedHandler()
    assert await _consumer(engine, first, ListSink()).handle(_message(event)) == "success"
    restarted = ScriptedHandler()
    assert await _consumer(engine, restarted, ListSink()).handle(_message(event)) == "duplicate"
    assert restarted.calls == []


async def test_same_event_is_processed_by_each_consumer_once(engine: Engine) -> None:
    event = _event()
    a, b = ScriptedHandler(), ScriptedHandler()
    assert await _consumer(engine, a, ListSink(), "audit").handle(_message(event)) == "success"
    assert await _consumer(engine, b, ListSink(), "recurring").handle(_message(event)) == "success"


async def test_retry_then_success(engine: Engine) -> None:
    handler, sink = ScriptedHandler("RETRY", RuntimeError("db blip"), "SUCCESS"), ListSink()
    assert await _consumer(engine, handler, sink).handle(_message(_event())) == "success"
    assert len(handler.calls) == 3 and sink.records == []


async def test_persistent_failure_is_parked_with_context(engine: Engine) -> None:
    handler = ScriptedHandler(RuntimeError("boom"), RuntimeError("boom"), RuntimeError("boom"))
    sink = ListSink()
    event = _event()
    assert await _consumer(engine, handler, sink).handle(_message(event)) == "dlq"
    [record] = sink.records
    assert record.error == "RuntimeError: boom" and "Traceback" in record.traceback
    assert record.source_topic == "task-events" and record.partition == 0 and record.offset == 42
    assert record.attempts == 3 and record.event_id == str(event.event_id)
    assert json.loads(record.payload)["id"] == str(event.event_id)
    assert record.replay_message().topic == "task-events"


async def test_cancelled_mid_message_stops_without_retrying_or_parking(engine: Engine) -> None:
    """A shutdown cancels the consumer while a handler runs: it stops there. The message is
    neither tried again nor dead-lettered; the transport hands it again after the restart."""
    started = threading.Event()

    class SlowHandler(ScriptedHandler):
        def __call__(self, event: DomainEvent, *, session: Session) -> Status:
            self.calls.append(event)
            started.set()
            time.sleep(0.3)
            return "SUCCESS"

    handler, sink = SlowHandler(), ListSink()
    task = asyncio.create_task(_consumer(engine, handler, sink).handle(_message(_event())))
    assert await asyncio.to_thread(started.wait, 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(handler.calls) == 1 and sink.records == []


async def test_poison_message_is_parked_without_retries(engine: Engine) -> None:
    handler, sink = ScriptedHandler(), ListSink()
    assert await _consumer(engine, handler, sink).handle(_message(_event(), b"{not json")) == "dlq"
    assert handler.calls == [] and "invalid event" in sink.records[0].error


async def test_unknown_schema_version_is_skipped(engine: Engine) -> None:
    event = _event()
    envelope = event.cloud_event()
    envelope["data"]["schema_version"] = 7
    handler, sink = ScriptedHandler(), ListSink()
    outcome = await _consumer(engine, handler, sink).handle(
        _message(event, json.dumps(envelope).encode())
    )
    assert outcome == "skipped" and handler.calls == [] and sink.records == []


async def test_drop_status_skips_without_dead_letter(engine: Engine) -> None:
    handler, sink = ScriptedHandler("DROP"), ListSink()
    assert await _consumer(engine, handler, sink).handle(_message(_event())) == "skipped"
    assert sink.records == []


async def test_database_sink_stores_dead_letter(engine: Engine) -> None:
    record = DeadLetterRecord(
        consumer="c", source_topic="reminders", payload="{}", error="e", attempts=1
    )
    await DatabaseDeadLetterSink(engine).park(record)
    with Session(engine) as session:
        [row] = session.exec(select(DeadLetter)).all()
    assert (
        row.topic == "reminders-dlq" and DeadLetterRecord.model_validate_json(row.payload) == record
    )


def test_bounded_window_forgets_oldest() -> None:
    window = BoundedWindow(2)
    for event_id in ("a", "b", "c"):
        window.add(event_id)
    assert "a" not in window and "b" in window and "c" in window and len(window) == 2


async def test_broadcast_consumers_in_two_replicas_both_handle_an_event(engine: Engine) -> None:
    event = _event()
    replicas = [ScriptedHandler(), ScriptedHandler()]
    for handler in replicas:
        consumer = Consumer(
            "realtime",
            ("task-updates",),
            handler,
            engine=engine,
            dead_letters=ListSink(),
            broadcast=True,
        )
        assert await consumer.handle(_message(event)) == "success"
        assert await consumer.handle(_message(event)) == "duplicate"  # the in-memory window
    assert [len(h.calls) for h in replicas] == [1, 1]


async def test_handle_batch_skips_known_and_in_batch_duplicates_and_records_once(
    engine: Engine,
) -> None:
    seen_before, fresh = _event(), _event()
    handler = ScriptedHandler()
    first = _consumer(engine, handler, ListSink())
    assert await first.handle(_message(seen_before)) == "success"
    restarted = _consumer(engine, ScriptedHandler(), ListSink())
    outcomes = await restarted.handle_batch(
        [_message(seen_before), _message(fresh), _message(fresh)]
    )
    assert outcomes == ["duplicate", "success", "duplicate"]
    # Recorded durably: a third process skips both without running its handler.
    third = ScriptedHandler()
    assert await _consumer(engine, third, ListSink()).handle_batch(
        [_message(seen_before), _message(fresh)]
    ) == ["duplicate", "duplicate"]
    assert third.calls == []


class FailsFor:
    """Raises for one event, every time; succeeds for the rest. Remembers the session and
    thread each call ran in."""

    def __init__(self, poison: DomainEvent, error: Exception) -> None:
        self.poison = poison
        self.error = error
        self.calls: list[tuple[DomainEvent, int, int]] = []

    def __call__(self, event: DomainEvent, *, session: Session) -> Status:
        self.calls.append((event, id(session), threading.get_ident()))
        if event.event_id == self.poison.event_id:
            raise self.error
        return "SUCCESS"


async def test_handle_batch_parks_failures_and_keeps_going(engine: Engine) -> None:
    good, poison, other = _event(), _event(), _event()
    sink = ListSink()
    consumer = _consumer(engine, FailsFor(poison, RuntimeError("x")), sink)
    outcomes = await consumer.handle_batch(
        [_message(good), _message(poison), _message(_event(), b"junk"), _message(other)]
    )
    assert outcomes == ["success", "dlq", "dlq", "success"] and len(sink.records) == 2
    [parked] = [r for r in sink.records if r.event_id == str(poison.event_id)]
    assert parked.attempts == 3 and parked.error == "RuntimeError: x"
    # The others were kept and recorded, the poison was not.
    again = ScriptedHandler()
    assert await _consumer(engine, again, ListSink()).handle_batch(
        [_message(good), _message(poison), _message(other)]
    ) == ["duplicate", "success", "duplicate"]
    assert [e.event_id for e in again.calls] == [poison.event_id]


async def test_handle_batch_runs_every_handler_in_one_session_and_thread(engine: Engine) -> None:
    events = [_event() for _ in range(5)]
    handler = FailsFor(_event(), RuntimeError("unused"))
    outcomes = await _consumer(engine, handler, ListSink()).handle_batch(
        [_message(e) for e in events]
    )
    assert outcomes == ["success"] * 5
    assert [e for e, _, _ in handler.calls] == events  # in order
    assert len({(session, thread) for _, session, thread in handler.calls}) == 1


def _audited(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(ActivityEntry.event_id)).all())


def _processed(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(ProcessedEvent.event_id)).all())


def _audit_consumer(engine: Engine, sink: ListSink) -> Consumer:
    return Consumer(
        "audit",
        ("task-events",),
        handlers.audit,
        engine=engine,
        dead_letters=sink,
        delivery=Delivery(retry_delay_seconds=0),
    )


async def test_audit_batch_keeps_the_others_when_one_event_breaks_a_constraint(
    engine: Engine,
) -> None:
    user_id = uuid.uuid4()
    with Session(engine) as session:
        session.add(User(id=user_id, email="a@example.com", name="A", password_hash="x"))
        session.commit()
    first, second = (
        TaskEvent(task_id=i, user_id=user_id, event_type="created", changes={}) for i in (1, 2)
    )
    ghost = TaskEvent(task_id=3, user_id=uuid.uuid4(), event_type="created", changes={})
    sink = ListSink()
    outcomes = await _audit_consumer(engine, sink).handle_batch(
        [_message(first), _message(ghost), _message(second)]
    )
    assert outcomes == ["success", "dlq", "success"]
    assert "FOREIGN KEY" in sink.records[0].error
    kept = {str(first.event_id), str(second.event_id)}
    assert _audited(engine) == kept and _processed(engine) == kept


async def test_outage_mid_batch_keeps_nothing_and_raises_transient(engine: Engine) -> None:
    done, down = _event(), _event()
    outage = OperationalError("INSERT", {}, Exception("database is away"))
    consumer = _consumer(engine, FailsFor(down, outage), ListSink())
    with pytest.raises(TransientError):
        await consumer.handle_batch([_message(done), _message(down)])
    assert _processed(engine) == set()  # the transport hands both again
    assert await consumer.handle_batch([_message(done)]) == ["success"]


class RollsBack:
    """Rolls the shared transaction back on its second call, as the recurring handler does
    after a unique-key clash, after the first wrote a row."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, event: DomainEvent, *, session: Session) -> Status:
        self.calls += 1
        if self.calls == 2:
            session.rollback()
        else:
            session.add(ProcessedEvent(consumer="witness", event_id=str(event.event_id)))
        return "SUCCESS"


async def test_handler_rollback_sends_the_batch_round_one_message_at_a_time(
    engine: Engine,
) -> None:
    first, second = _event(), _event()
    outcomes = await _consumer(engine, RollsBack(), ListSink()).handle_batch(
        [_message(first), _message(second)]
    )
    assert outcomes == ["success", "success"]
    # The first event's effect, rolled back with the batch, was made again on its own.
    with Session(engine) as session:
        witnessed = session.exec(
            select(ProcessedEvent.event_id).where(ProcessedEvent.consumer == "witness")
        ).all()
    assert str(first.event_id) in witnessed


async def test_retry_status_in_a_batch_retries_that_message(engine: Engine) -> None:
    handler, sink = ScriptedHandler("SUCCESS", "RETRY", "SUCCESS", "SUCCESS"), ListSink()
    outcomes = await _consumer(engine, handler, sink).handle_batch(
        [_message(_event()), _message(_event())]
    )
    assert outcomes == ["success", "success"] and sink.records == []


async def test_audit_batch_writes_its_entries_with_one_statement(engine: Engine) -> None:
    user_id = uuid.uuid4()
    with Session(engine) as session:
        session.add(User(id=user_id, email="b@example.com", name="B", password_hash="x"))
        session.commit()
    events = [
        TaskEvent(task_id=i, user_id=user_id, event_type="created", changes={}) for i in range(1, 6)
    ]
    inserts: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("INSERT INTO activity"):
            inserts.append(statement)

    sqlalchemy.event.listen(engine, "before_cursor_execute", count)
    outcomes = await _audit_consumer(engine, ListSink()).handle_batch([_message(e) for e in events])
    assert outcomes == ["success"] * 5 and len(inserts) == 1
    assert _audited(engine) == {str(e.event_id) for e in events}
