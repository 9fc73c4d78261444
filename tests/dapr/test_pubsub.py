"""Pub/sub through real sidecars, on Kafka and on Redis: only the component changes."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.consumer_main import create_consumer_app
from app.contracts import dlq_topic
from app.core.config import Settings
from app.events.schemas import TaskEvent
from app.events.transport import Message
from app.models.activity import ActivityEntry
from app.models.user import User
from app.transports.dapr.client import DaprClient
from app.transports.dapr.publisher import DaprPublisher
from infra.dapr import components
from infra.dapr.components import Manifest
from tests.dapr.conftest import Mesh
from tests.utils.waiting import eventually

# The sidecar redelivers a RETRY twice, 200 ms apart, then dead-letters it.
RESILIENCY = components.pubsub_resiliency(max_retries=2, retry_interval="200ms")


@pytest.fixture(params=["kafka", "redis"])
def pubsub(request: pytest.FixtureRequest) -> Manifest:
    """The `pubsub` component from the shared definitions: the tests never change."""
    if request.param == "kafka":
        broker = request.getfixturevalue("kafka_broker")
        return components.pubsub_component(
            "kafka", address=broker.bootstrap_servers, authenticated=False
        )
    redis = request.getfixturevalue("redis_server")
    return components.pubsub_component("redis", address=redis.address, authenticated=False)


def _activity(engine: Engine, user_id: uuid.UUID) -> int:
    with Session(engine) as session:
        stmt = select(func.count()).select_from(ActivityEntry)
        return int(session.exec(stmt.where(ActivityEntry.user_id == user_id)).one())


async def test_published_task_event_is_consumed_with_success(
    pubsub: Manifest,
    mesh: Mesh,
    dapr_settings: Callable[..., Settings],
    engine: Engine,
) -> None:
    _, audit = mesh.service(
        "taskflow-audit",
        [pubsub, RESILIENCY],
        lambda port: create_consumer_app(dapr_settings(port), "audit"),
    )
    api, _ = mesh.service("taskflow-api", [pubsub])
    assert audit is not None
    user_id = uuid.uuid4()
    with Session(engine) as session:
        session.add(User(id=user_id, email=f"{user_id}@example.com", name="U", password_hash="x"))
        session.commit()
    event = TaskEvent(task_id=7, user_id=user_id, event_type="created", changes={"title": "t"})
    before = _success_metric(audit.url) or 0.0
    publisher = DaprPublisher(dapr_settings(api.http_port))
    message = Message(
        topic="task-events",
        key=str(user_id),
        value=json.dumps(event.cloud_event()).encode(),
        headers={"event_id": str(event.event_id)},
    )
    try:
        await publisher.publish([message])
    finally:
        await publisher.stop()

    eventually(lambda: _activity(engine, user_id) == 1, timeout=30)
    # The consumer answered SUCCESS: the sidecar does not deliver it again.
    with Session(engine) as session:
        [entry] = session.exec(select(ActivityEntry).where(ActivityEntry.user_id == user_id)).all()
    assert entry.task_id == 7
    # Counters are per process (the parametrised runs share one): compare with the start.
    eventually(lambda: (_success_metric(audit.url) or 0.0) >= before + 1)


def _success_metric(url: str) -> float | None:
    for line in httpx.get(f"{url}/metrics").text.splitlines():
        if line.startswith("taskflow_events_consumed_total{") and all(
            label in line
            for label in ('outcome="success"', 'service="audit"', 'topic="task-events"')
        ):
            return float(line.rsplit(" ", 1)[1])
    return None


class Probe:
    """A subscriber that answers each message by script and records dead letters."""

    def __init__(self, topic: str, script: dict[str, list[str]]) -> None:
        self.topic = topic
        self.script = script
        self.deliveries: Counter[str] = Counter()
        self.dead: list[str] = []

    def app(self) -> FastAPI:
        app = FastAPI()
        dead_topic = dlq_topic(self.topic)

        @app.get("/healthz")
        def healthz() -> dict[str, str]:
            return {"status": "ok"}

        @app.get("/dapr/subscribe")
        def subscribe() -> list[dict[str, str]]:
            return [
                {
                    "pubsubname": components.PUBSUB,
                    "topic": self.topic,
                    "route": "/events",
                    "deadLetterTopic": dead_topic,
                },
                {"pubsubname": components.PUBSUB, "topic": dead_topic, "route": "/dead"},
            ]

        @app.post("/events")
        async def events(request: Request) -> dict[str, str]:
            name = (await request.json())["data"]["name"]
            self.deliveries[name] += 1
            answers = self.script[name]
            return {"status": answers[min(self.deliveries[name], len(answers)) - 1]}

        @app.post("/dead")
        async def dead(request: Request) -> dict[str, str]:
            envelope: dict[str, Any] = await request.json()
            self.dead.append(envelope["data"]["name"])
            return {"status": "SUCCESS"}

        return app


async def test_retry_is_redelivered_and_drop_goes_to_dead_letter_topic(
    pubsub: Manifest, mesh: Mesh
) -> None:
    probe = Probe(
        f"probe-{uuid.uuid4().hex[:8]}",
        {
            "fine": ["SUCCESS"],
            "flaky": ["RETRY", "SUCCESS"],
            "poison": ["RETRY"],
            "dropped": ["DROP"],
        },
    )
    mesh.service("taskflow-probe", [pubsub, RESILIENCY], lambda _: probe.app())
    publisher, _ = mesh.service("taskflow-api", [pubsub])
    async with DaprClient(http_port=publisher.http_port) as dapr:
        for name in probe.script:
            await dapr.publish(
                components.PUBSUB,
                probe.topic,
                json.dumps({"name": name}).encode(),
                content_type="application/json",
            )

    expected = {"fine": 1, "flaky": 2, "poison": 3, "dropped": 1}
    eventually(lambda: dict(probe.deliveries) == expected, timeout=30)
    eventually(lambda: sorted(probe.dead) == ["dropped", "poison"], timeout=30)
    # Settled: a RETRY answered SUCCESS later is not dead-lettered, nothing comes again.
    await asyncio.sleep(1.5)
    assert dict(probe.deliveries) == expected
    assert sorted(probe.dead) == ["dropped", "poison"]
