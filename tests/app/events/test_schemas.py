from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from app.contracts import dlq_topic
from app.events.schemas import (
    ReminderEvent,
    TaskEvent,
    TaskUpdateEvent,
    UnknownSchemaVersion,
    parse_event,
)

USER = uuid.uuid4()


def test_task_event_envelope_is_cloudevent() -> None:
    event = TaskEvent(task_id=7, user_id=USER, event_type="created", changes={"title": "x"})
    envelope = event.cloud_event()
    assert envelope["specversion"] == "1.0"
    assert envelope["id"] == str(event.event_id)
    assert envelope["type"] == "com.taskflow.task.created.v1"
    assert envelope["data"]["schema_version"] == 1
    assert envelope["data"]["changes"] == {"title": "x"}
    assert event.key == str(USER) and event.topic == "task-events"
    assert event.event_id.version == 4


def test_occurred_at_is_normalised_to_utc() -> None:
    local = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    event = TaskEvent(task_id=1, user_id=USER, event_type="deleted", occurred_at=local)
    assert event.occurred_at == datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    assert event.cloud_event()["time"].endswith("+00:00")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"event_type": "exploded"},
        {"changes": {"email": "a@b.c"}},
        {"changes": {"password_hash": "x"}},
        {"task_id": 0},
        {"event_id": uuid.uuid1()},
        {"occurred_at": datetime(2026, 1, 1)},
        {"schema_version": 2},
        {"surprise": True},
    ],
)
def test_invalid_task_event_is_rejected_when_built(kwargs: dict[str, object]) -> None:
    base: dict[str, object] = {"task_id": 1, "user_id": USER, "event_type": "created"}
    with pytest.raises(ValidationError):
        TaskEvent.model_validate({**base, **kwargs})


def test_reminder_event_types() -> None:
    assert ReminderEvent(task_id=1, user_id=USER, event_type="due").topic == "reminders"
    with pytest.raises(ValidationError):
        ReminderEvent.model_validate({"task_id": 1, "user_id": USER, "event_type": "created"})


def test_parse_event_round_trips_each_topic() -> None:
    for event in (
        TaskEvent(task_id=1, user_id=USER, event_type="completed", changes={"completed": True}),
        TaskUpdateEvent(task_id=1, user_id=USER, event_type="updated"),
        ReminderEvent(task_id=1, user_id=USER, event_type="scheduled"),
    ):
        assert parse_event(event.topic, event.cloud_event()) == event
        assert parse_event(dlq_topic(event.topic), event.cloud_event()) == event


def test_parse_event_unknown_version_is_flagged() -> None:
    data = TaskEvent(task_id=1, user_id=USER, event_type="created").model_dump(mode="json")
    with pytest.raises(UnknownSchemaVersion):
        parse_event("task-events", {**data, "schema_version": 99})


def test_parse_event_unknown_topic_is_rejected() -> None:
    data = TaskEvent(task_id=1, user_id=USER, event_type="created").model_dump(mode="json")
    with pytest.raises(ValueError, match="unknown topic"):
        parse_event("elsewhere", data)
