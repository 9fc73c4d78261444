"""Versioned domain events, one schema set for every transport, in a CloudEvents 1.0 envelope."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PositiveInt, field_validator

from app.contracts import REMINDERS, TASK_EVENTS, TASK_UPDATES

SCHEMA_VERSION: Literal[1] = 1
EVENT_SOURCE = "taskflow/api"

# The fields an event may carry; anything else (email, password hash, ...) is refused.
TASK_FIELDS = frozenset(
    {
        "title",
        "description",
        "completed",
        "completed_at",
        "priority",
        "tags",
        "due_at",
        "recurrence",
        "remind_before_minutes",
        "reminder_sent",
        "previous_occurrence_id",
    }
)

# "restored": a deleted task came back (POST .../restore); it carries every field, as "created".
TaskEventType = Literal["created", "updated", "completed", "uncompleted", "deleted", "restored"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DomainEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    topic: ClassVar[str]
    kind: ClassVar[str]

    schema_version: Literal[1] = SCHEMA_VERSION
    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    event_type: str
    occurred_at: AwareDatetime = Field(default_factory=_utcnow)
    task_id: PositiveInt
    user_id: uuid.UUID

    @field_validator("event_id")
    @classmethod
    def _uuid4(cls, value: uuid.UUID) -> uuid.UUID:
        if value.version != 4:
            raise ValueError("event_id must be a UUID4")
        return value

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @property
    def key(self) -> str:
        return str(self.user_id)

    def cloud_event(self) -> dict[str, Any]:
        """The CloudEvents 1.0 structured envelope Dapr uses, so Kafka carries the same bytes."""
        return {
            "specversion": "1.0",
            "id": str(self.event_id),
            "source": EVENT_SOURCE,
            "type": f"com.taskflow.{self.kind}.{self.event_type}.v{self.schema_version}",
            "subject": str(self.task_id),
            "time": self.occurred_at.isoformat(),
            "datacontenttype": "application/json",
            "data": self.model_dump(mode="json"),
        }


class _ChangesEvent(DomainEvent):
    changes: dict[str, Any] = Field(default_factory=dict)

    @field_validator("changes")
    @classmethod
    def _known_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = set(value) - TASK_FIELDS
        if unknown:
            raise ValueError(f"events may not carry fields {sorted(unknown)}")
        return value


class TaskEvent(_ChangesEvent):
    topic: ClassVar[str] = TASK_EVENTS
    kind: ClassVar[str] = "task"
    event_type: TaskEventType


class TaskUpdateEvent(_ChangesEvent):
    """What the realtime channel pushes to the user's open clients."""

    topic: ClassVar[str] = TASK_UPDATES
    kind: ClassVar[str] = "taskupdate"
    event_type: TaskEventType


class ReminderEvent(DomainEvent):
    topic: ClassVar[str] = REMINDERS
    kind: ClassVar[str] = "reminder"
    event_type: Literal["scheduled", "due", "cancelled"]
    title: str | None = None
    due_at: AwareDatetime | None = None
    remind_at: AwareDatetime | None = None


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    TASK_EVENTS: TaskEvent,
    REMINDERS: ReminderEvent,
    TASK_UPDATES: TaskUpdateEvent,
}


def parse_event(topic: str, envelope: dict[str, Any]) -> DomainEvent:
    """Reads a CloudEvent (or bare event data) received on a topic; raises ValueError if invalid."""
    data = envelope.get("data", envelope) if "specversion" in envelope else envelope
    if not isinstance(data, dict):
        raise ValueError("event data must be a JSON object")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise UnknownSchemaVersion(f"unsupported schema_version {version!r}")
    try:
        model = EVENT_TYPES[topic.removesuffix("-dlq")]
    except KeyError:
        raise ValueError(f"unknown topic {topic!r}") from None
    return model.model_validate(data)


class UnknownSchemaVersion(ValueError):
    pass
