"""Dapr mode's HTTP contract: publishing to the sidecar and receiving its deliveries.
(A later suite runs the real sidecar; here the sidecar side is httpx's MockTransport.)"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.consumer_main import create_consumer_app
from app.core.config import Settings
from app.events.schemas import TaskEvent
from app.events.transport import Message, TransientPublishError
from app.models.user import User
from app.transports.dapr.client import DaprError
from app.transports.dapr.publisher import DaprPublisher
from tests.conftest import make_settings


def _publisher(
    settings: Settings, answers: list[int | Exception], seen: list[httpx.Request]
) -> DaprPublisher:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers.pop(0) if answers else 204
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, text="sidecar says no" if answer >= 400 else "")

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return DaprPublisher(settings, attempts=3, client=client)


MESSAGE = Message(
    topic="task-events", key="user-1", value=b'{"specversion":"1.0"}', headers={"event_id": "e1"}
)


@pytest.fixture
def dapr_settings(sqlite_url: str) -> Settings:
    return make_settings(sqlite_url, use_dapr=True, dapr_http_port=3500)


def test_use_dapr_selects_dapr_transport(dapr_settings: Settings) -> None:
    assert dapr_settings.event_transport == "dapr"


async def test_publish_posts_cloudevent_to_sidecar(dapr_settings: Settings) -> None:
    seen: list[httpx.Request] = []
    await _publisher(dapr_settings, [204], seen).publish([MESSAGE])
    [request] = seen
    assert (
        str(request.url)
        == "http://127.0.0.1:3500/v1.0/publish/pubsub/task-events?metadata.partitionKey=user-1"
    )
    assert request.headers["content-type"] == "application/cloudevents+json"
    assert request.content == MESSAGE.value


async def test_publish_retries_transient_failures(dapr_settings: Settings) -> None:
    seen: list[httpx.Request] = []
    answers: list[int | Exception] = [503, httpx.ConnectError("refused"), 204]
    await _publisher(dapr_settings, answers, seen).publish([MESSAGE])
    assert len(seen) == 3


async def test_publish_gives_up_as_transient_after_attempts(dapr_settings: Settings) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(TransientPublishError):
        await _publisher(dapr_settings, [503, 503, 503], seen).publish([MESSAGE])
    assert len(seen) == 3


async def test_publish_client_error_is_raised_without_retry(dapr_settings: Settings) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(DaprError, match="sidecar says no"):
        await _publisher(dapr_settings, [400], seen).publish([MESSAGE])
    assert len(seen) == 1


@pytest.fixture
def audit_service(dapr_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_consumer_app(dapr_settings, "audit")) as client:
        yield client


def test_subscribe_lists_topics_with_dead_letter_topics(audit_service: TestClient) -> None:
    assert audit_service.get("/dapr/subscribe").json() == [
        {
            "pubsubname": "pubsub",
            "topic": "task-events",
            "route": "/events/task-events",
            "deadLetterTopic": "task-events-dlq",
        },
        {
            "pubsubname": "pubsub",
            "topic": "reminders",
            "route": "/events/reminders",
            "deadLetterTopic": "reminders-dlq",
        },
    ]


def test_delivery_is_processed_and_answered_success(audit_service: TestClient) -> None:
    app = audit_service.app
    assert isinstance(app, FastAPI)
    user_id = uuid.uuid4()
    # The consumer shares the database with the API, where users live.
    with Session(app.state.engine) as session:
        session.add(User(id=user_id, email=f"{user_id}@example.com", name="U", password_hash="x"))
        session.commit()
    event = TaskEvent(
        task_id=3, user_id=user_id, event_type="created", changes={"title": "via dapr"}
    )
    # Dapr adds its own attributes to our CloudEvent; the data stays as published.
    delivery = {
        **event.cloud_event(),
        "topic": "task-events",
        "pubsubname": "pubsub",
        "traceid": "00-x",
    }
    first = audit_service.post(
        "/events/task-events",
        content=json.dumps(delivery),
        headers={"content-type": "application/cloudevents+json"},
    )
    again = audit_service.post("/events/task-events", content=json.dumps(delivery))
    assert first.json() == {"status": "SUCCESS"} and again.json() == {"status": "SUCCESS"}
    metrics = audit_service.get("/metrics").text
    assert 'outcome="duplicate",service="audit",topic="task-events"' in metrics


def test_delivery_on_unsubscribed_topic_is_dropped(audit_service: TestClient) -> None:
    assert audit_service.post("/events/task-updates", content=b"{}").json() == {"status": "DROP"}


def test_consumer_service_refuses_inprocess_transport(sqlite_url: str) -> None:
    with pytest.raises(ValueError, match="run inside `taskflow serve`"):
        create_consumer_app(make_settings(sqlite_url), "audit")


def test_consumer_service_rejects_unknown_name(dapr_settings: Settings) -> None:
    with pytest.raises(ValueError, match="unknown consumer"):
        create_consumer_app(dapr_settings, "billing")
