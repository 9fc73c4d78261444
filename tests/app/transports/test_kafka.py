"""The event backbone against a real Kafka broker (KRaft, from Maven Central jars) and a real
PostgreSQL: the API writes through the outbox, consumers run as their own services."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.consumer_main import create_consumer_app
from app.core.config import Settings
from app.core.db import make_engine
from app.events.dead_letters import list_dead_letters, replay
from app.events.schemas import TaskEvent
from app.main import create_app
from app.models.activity import ActivityEntry
from app.models.outbox import OutboxMessage
from app.models.processed_event import ProcessedEvent
from app.models.task import Task
from app.models.user import User
from app.relay_main import create_relay_app
from app.transports.kafka import read_topic
from tests.conftest import SCHEDULER, _wipe, make_settings
from tests.services.kafka import KafkaBroker
from tests.utils.infra import unavailable
from tests.utils.users import AuthedUser, create_task, signup
from tests.utils.waiting import eventually

pytestmark = pytest.mark.kafka


@pytest.fixture
def broker() -> Iterator[KafkaBroker]:
    # A fresh broker per test: topics and consumer offsets start empty.
    try:
        server = KafkaBroker()
    except RuntimeError as exc:
        unavailable(str(exc))
    server.start()
    yield server
    server.close()


@pytest.fixture
def settings(postgres_url: str, broker: KafkaBroker) -> Settings:
    return make_settings(
        postgres_url,
        event_transport="kafka",
        kafka_bootstrap_servers=broker.bootstrap_servers,
        outbox_poll_seconds=0.2,
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    yield engine
    _wipe(engine)
    engine.dispose()


@pytest.fixture
def api(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@contextmanager
def consumer_service(settings: Settings, name: str) -> Iterator[TestClient]:
    with TestClient(create_consumer_app(settings, name)) as client:
        yield client


def _activity_count(engine: Engine, user_id: uuid.UUID | None = None) -> int:
    with Session(engine) as session:
        stmt: Any = select(func.count()).select_from(ActivityEntry)
        if user_id is not None:
            stmt = stmt.where(ActivityEntry.user_id == user_id)
        return int(session.exec(stmt).one())


def test_created_task_event_is_on_topic_and_audited(
    api: TestClient, settings: Settings, engine: Engine
) -> None:
    user = signup(api)
    with consumer_service(settings, "audit"):
        response = api.post(
            user.tasks_url,
            json={"title": "kafka task", "priority": "P1"},
            headers={**user.headers, "X-Correlation-ID": "kafka-corr-1"},
        )
        task = response.json()
        eventually(lambda: _activity_count(engine, user.id) >= 1, timeout=30)
    messages = asyncio.run(read_topic(settings, "task-events"))
    [message] = [m for m in messages if json.loads(m.value)["data"]["task_id"] == task["id"]]
    assert message.key == str(user.id)
    envelope = json.loads(message.value)
    assert envelope["specversion"] == "1.0" and envelope["type"] == "com.taskflow.task.created.v1"
    data = envelope["data"]
    assert data["event_type"] == "created" and data["user_id"] == str(user.id)
    assert data["changes"]["title"] == "kafka task" and data["changes"]["priority"] == "P1"
    assert "email" not in message.value.decode()
    assert message.headers["event_id"] == data["event_id"]
    assert message.headers["correlation_id"] == "kafka-corr-1"
    assert message.headers["traceparent"].startswith("00-")


def _unpublished(engine: Engine) -> int:
    with Session(engine) as session:
        stmt: Any = select(func.count()).where(col(OutboxMessage.published_at).is_(None))
        return int(session.exec(stmt).one())


def _listening(engine: Engine) -> bool:
    with engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN outbox'"
        return bool(conn.execute(text(query)).scalar_one())


def test_the_relay_service_publishes_what_the_api_commits_woken_by_notify(
    settings: Settings, engine: Engine
) -> None:
    """OUTBOX_RELAY=service: the API only writes the outbox; `taskflow relay` publishes. Its
    poll is an hour here, so a create reaching the audit in time was woken by the outbox's
    NOTIFY: the API's commit hook cannot reach another process."""
    api_settings = settings.model_copy(update={"outbox_relay": "service"})
    relay_settings = settings.model_copy(update={"outbox_poll_seconds": 3600.0})
    with TestClient(create_app(api_settings)) as api, consumer_service(settings, "audit"):
        user = signup(api)
        first = create_task(api, user, title="waits for the relay")
        time.sleep(1.0)  # five of the API's own relay polls (0.2 s): it has none
        assert _unpublished(engine) >= 1 and _activity_count(engine, user.id) == 0
        with TestClient(create_relay_app(relay_settings)) as relay:
            assert relay.get("/healthz").json() == {"status": "ok"}
            eventually(lambda: _listening(engine), timeout=30)
            eventually(lambda: _activity_count(engine, user.id) == 1, timeout=30)
            second = create_task(api, user, title="wakes the relay")
            eventually(lambda: _activity_count(engine, user.id) == 2, timeout=30)
        assert _unpublished(engine) == 0
    with Session(engine) as session:
        audited = session.exec(select(ActivityEntry.task_id)).all()
    assert sorted(audited) == sorted([first["id"], second["id"]])


def _processed_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count())
            .select_from(ProcessedEvent)
            .where(ProcessedEvent.consumer == "audit")
        ).one()


def test_stopped_consumer_catches_up_without_duplicates(
    api: TestClient, settings: Settings, engine: Engine
) -> None:
    user = signup(api)
    with consumer_service(settings, "audit"):
        create_task(api, user, title="before")
        eventually(lambda: _activity_count(engine, user.id) == 1, timeout=30)
    # Consumer down: these events wait in the topic.
    for i in range(15):
        create_task(api, user, title=f"while down {i}")
    with consumer_service(settings, "audit"):
        # Processed ids are recorded once per poll, after the poll's handlers ran.
        eventually(lambda: _processed_count(engine) == 16, timeout=30)
    assert _activity_count(engine, user.id) == 16


def test_same_event_id_twice_is_processed_once(
    api: TestClient, settings: Settings, engine: Engine, broker: KafkaBroker
) -> None:
    user = signup(api)
    event = TaskEvent(task_id=99, user_id=user.id, event_type="created", changes={"title": "dup"})

    async def send_twice() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers, acks="all")
        await producer.start()
        try:
            for _ in range(2):
                await producer.send_and_wait(
                    "task-events",
                    json.dumps(event.cloud_event()).encode(),
                    key=str(user.id).encode(),
                )
        finally:
            await producer.stop()

    labels = {"outcome": "duplicate", "service": "audit", "topic": "task-events"}
    # The registry is per process and other tests count too: compare before and after.
    before = REGISTRY.get_sample_value("taskflow_events_consumed_total", labels) or 0.0
    with consumer_service(settings, "audit") as service:
        asyncio.run(send_twice())
        create_task(api, user, title="marker")  # processed after both copies: per-user order
        eventually(lambda: _activity_count(engine, user.id) == 2, timeout=30)
        scraped = service.get("/metrics").text
    assert _activity_count(engine, user.id) == 2
    assert REGISTRY.get_sample_value("taskflow_events_consumed_total", labels) == before + 1
    assert "taskflow_events_consumed_total" in scraped


def test_poison_message_is_parked_then_replayed(
    api: TestClient, settings: Settings, engine: Engine, broker: KafkaBroker
) -> None:
    ghost = uuid.uuid4()  # no such user yet: the audit insert fails its foreign key
    event = TaskEvent(task_id=7, user_id=ghost, event_type="created", changes={"title": "orphan"})

    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers, acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(
                "task-events", json.dumps(event.cloud_event()).encode(), key=str(ghost).encode()
            )
            await producer.send_and_wait("task-events", b"\x00 not json", key=b"x")
        finally:
            await producer.stop()

    with consumer_service(settings, "audit"):
        asyncio.run(send())

        def parked() -> list[Any]:
            return [
                json.loads(m.value) for m in asyncio.run(read_topic(settings, "task-events-dlq"))
            ]

        records = eventually(lambda: parked() if len(parked()) == 2 else [], timeout=30)
        by_error = {r["event_id"]: r for r in records}
        failed = by_error[str(event.event_id)]
        assert "ForeignKeyViolation" in failed["error"] or "foreign key" in failed["error"].lower()
        assert (
            failed["source_topic"] == "task-events"
            and failed["offset"] == 0
            and failed["partition"] == 0
        )
        assert (
            "Traceback" in failed["traceback"]
            and failed["attempts"] == settings.consumer_max_attempts
        )
        assert any("invalid event" in r["error"] for r in records)

        with Session(engine) as session:
            assert len(list_dead_letters(session=session, topic="task-events")) == 2
            session.add(
                User(id=ghost, email=f"{ghost}@example.com", name="Ghost", password_hash="x")
            )
            session.commit()
            [summary] = [
                s for s in list_dead_letters(session=session) if s.event_id == str(event.event_id)
            ]
            assert replay(session=session, ids=[summary.id]) == 1
        eventually(lambda: _activity_count(engine, ghost) == 1, timeout=30)
        with Session(engine) as session:
            assert len(list_dead_letters(session=session)) == 1  # the unparseable one stays


def test_broker_outage_loses_nothing_and_keeps_per_user_order(
    api: TestClient, settings: Settings, engine: Engine, broker: KafkaBroker
) -> None:
    ann, bob = signup(api), signup(api)
    create_task(api, ann, title="warm-up")  # the producer is connected before the outage
    broker.stop()
    created: dict[uuid.UUID, list[int]] = {ann.id: [], bob.id: []}
    for i in range(10):
        for user in (ann, bob):
            created[user.id].append(create_task(api, user, title=f"outage {i}")["id"])
    broker.start()
    with consumer_service(settings, "audit"):
        eventually(lambda: _activity_count(engine) == 21, timeout=60)
    with Session(engine) as session:
        for user_id, ids in created.items():
            rows = session.exec(
                select(ActivityEntry.task_id)
                .where(ActivityEntry.user_id == user_id, ActivityEntry.event_type == "created")
                .order_by(col(ActivityEntry.id))
            ).all()
            assert [r for r in rows if r in ids] == ids


def test_recurring_completion_and_reminder_each_happen_once(
    api: TestClient, settings: Settings, engine: Engine
) -> None:
    user: AuthedUser = signup(api)
    task = create_task(
        api, user, title="standup", due_at="2026-12-01T09:00:00Z", recurrence="FREQ=WEEKLY;BYDAY=TU"
    )
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    reminded = create_task(api, user, title="ping", due_at=soon, remind_before_minutes=5)
    with consumer_service(settings, "recurring"), consumer_service(settings, "reminders"):
        api.patch(f"{user.tasks_url}/{task['id']}/complete", headers=user.headers)
        # In kafka mode the reminders service also fires on its own timer (issue 16): whoever
        # comes first fires it, and never twice (one notification, below).
        assert api.post("/reminder-check", headers=SCHEDULER).json()["fired"] in (0, 1)
        assert api.post("/reminder-check", headers=SCHEDULER).json() == {"fired": 0}

        def successors() -> list[Task]:
            with Session(engine) as session:
                return list(
                    session.exec(
                        select(Task).where(Task.previous_occurrence_id == task["id"])
                    ).all()
                )

        eventually(successors, timeout=30)
        notes = eventually(
            lambda: api.get(f"/api/{user.id}/notifications", headers=user.headers).json(),
            timeout=30,
        )
    assert len(successors()) == 1
    assert successors()[0].due_at == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    assert len(notes) == 1 and notes[0]["task_id"] == reminded["id"]
