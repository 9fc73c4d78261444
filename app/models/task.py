from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import Index, String, Text
from sqlmodel import Column, Field, SQLModel

from app.core.db import now_field, optional_time_field
from app.domain import recurrence as recurrence_rules
from app.domain.recurrence import RULE_PATTERN
from app.models.bounds import NOT_COERCED, DateTime, JsonBool, NonBlankText, NoNulText
from app.models.tag import TagName

TITLE_MAX = 500
DESCRIPTION_MAX = 10_000
REMIND_BEFORE_MAX = 40_320  # four weeks, in minutes
TAGS_PER_TASK_MAX = 20
RECURRENCE_MAX = 500  # the column
# Bounds inside the type, under the validator: Field(ge=...) on an optional validated type
# leaves raw "ge"/"le" keys in the schema, which JSON Schema ignores.
ReminderMinutes = Annotated[int, Interval(ge=0, le=REMIND_BEFORE_MAX), NOT_COERCED]
RecurrenceRule = Annotated[str, StringConstraints(max_length=RECURRENCE_MAX, pattern=RULE_PATTERN)]
# PostgreSQL only: a stored generated tsvector column with a GIN index (migration 0005).
# It is not mapped, so SQLite and the ORM never see it; search queries name it directly.
SEARCH_VECTOR_COLUMN = "search_vector"


class Priority(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


def _clean_title(value: str) -> str:
    return value.strip()  # the schema (NonBlankText) has made sure something is left


def _clean_priority(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _clean_recurrence(value: str | None) -> str | None:
    return None if value is None else recurrence_rules.normalize(value)


def _clean_tags(value: list[str] | None) -> list[str] | None:
    """Drops repeats (any case), keeping the first spelling; names are already trimmed."""
    if value is None:
        return None
    names: dict[str, str] = {}
    for name in value:
        names.setdefault(name.lower(), name)
    return list(names.values())


# Field descriptions: OpenAPI shows them, and the MCP tools' argument models derive from
# these classes (app/chat/tools.py), so a model and an assistant read the same words.
TITLE_DOC = "Short title of the task."
DESCRIPTION_DOC = "Free text."
PRIORITY_DOC = "P1 (most urgent) to P4 (default, least urgent)."
TAGS_DOC = "Tag names (a leading '#' is dropped); created if new."
DUE_AT_DOC = (
    "Due date-time, ISO 8601. With an offset (2026-03-06T17:00:00+01:00) it is that instant; "
    "without one (2026-03-06T17:00:00) it is read in the user's timezone. A day with no time "
    "of day is 23:59:59 of that day (2026-03-06T23:59:59): shown as that day, overdue after it."
)
RECURRENCE_DOC = (
    "Repeat rule: an RFC 5545 RRULE without DTSTART (FREQ=WEEKLY;BYDAY=MO,WE), a preset "
    "(daily, weekly, monthly, yearly) or a five-field cron expression. Occurrences are "
    "anchored on due_at, so a recurring task needs due_at. The next occurrence is created "
    "when the task is completed."
)
REMIND_DOC = f"Minutes before due_at to send a reminder (0-{REMIND_BEFORE_MAX}); needs due_at."
CLEARS = " null clears it."


class TaskFields(SQLModel):
    """Validation shared by create, replace and patch bodies."""

    # An unknown field is refused, not ignored: the schema says so (additionalProperties).
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    _title = field_validator("title", check_fields=False)(_clean_title)
    _priority = field_validator("priority", mode="before", check_fields=False)(_clean_priority)
    _recurrence = field_validator("recurrence", check_fields=False)(_clean_recurrence)
    _tags = field_validator("tags", check_fields=False)(_clean_tags)


class TaskCreate(TaskFields):
    # A repeat rule needs a due date to anchor on: said in the schema, checked below.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"recurrence": {"type": "string"}}, "required": ["recurrence"]},
            "then": {"properties": {"due_at": {"type": "string"}}, "required": ["due_at"]},
        }
    )

    title: NonBlankText = Field(max_length=TITLE_MAX, description=TITLE_DOC)
    description: NoNulText = Field(
        default="", max_length=DESCRIPTION_MAX, description=DESCRIPTION_DOC
    )
    priority: Priority = Field(default=Priority.P4, description=PRIORITY_DOC)
    tags: list[TagName] = Field(
        default_factory=list, max_length=TAGS_PER_TASK_MAX, description=TAGS_DOC
    )
    due_at: DateTime | None = Field(default=None, description=DUE_AT_DOC)
    recurrence: RecurrenceRule | None = Field(default=None, description=RECURRENCE_DOC)
    remind_before_minutes: ReminderMinutes | None = Field(default=None, description=REMIND_DOC)

    @field_validator("recurrence")
    @classmethod
    def _anchored(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and "due_at" in info.data and info.data["due_at"] is None:
            raise ValueError("a recurring task needs a due_at")
        return value


class TaskReplace(TaskCreate):
    completed: JsonBool = False


class TaskChanges(TaskFields):
    """A patch of the editable fields: omitted fields keep their value."""

    title: NonBlankText | SkipJsonSchema[None] = Field(
        default=None, max_length=TITLE_MAX, description="New title."
    )
    # Omitted keeps the value and null is refused: the schema offers no null for these.
    description: NoNulText | SkipJsonSchema[None] = Field(
        default=None, max_length=DESCRIPTION_MAX, description=DESCRIPTION_DOC
    )
    priority: Priority | SkipJsonSchema[None] = Field(default=None, description=PRIORITY_DOC)
    tags: list[TagName] | SkipJsonSchema[None] = Field(
        default=None,
        max_length=TAGS_PER_TASK_MAX,
        description="Replaces all tags of the task; [] removes them.",
    )
    due_at: DateTime | None = Field(default=None, description=DUE_AT_DOC + CLEARS)
    recurrence: RecurrenceRule | None = Field(default=None, description=RECURRENCE_DOC + CLEARS)
    remind_before_minutes: ReminderMinutes | None = Field(
        default=None, description=REMIND_DOC + CLEARS
    )

    @field_validator(
        "title", "description", "priority", "tags", "completed", mode="before", check_fields=False
    )
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Omitting a field keeps it; null is only meaningful for the clearable ones.
        if value is None:
            raise ValueError("may not be null")
        return value


class TaskUpdate(TaskChanges):
    completed: JsonBool | SkipJsonSchema[None] = Field(
        default=None, description="true: done; false: open again."
    )


class CompletionUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    completed: JsonBool | None = Field(
        default=None, description="Set completion; omit the body (or null) to toggle"
    )


class Task(SQLModel, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_user_created", "user_id", "created_at"),
        Index("ix_tasks_user_updated", "user_id", "updated_at"),
        Index("ix_tasks_user_due", "user_id", "due_at"),
        Index("ix_tasks_user_priority_due", "user_id", "priority", "due_at"),
        Index("ix_tasks_user_completed_created", "user_id", "completed", "created_at"),
        Index("ix_tasks_reminder_due", "reminder_sent", "remind_at"),
        # SQLite would hand a deleted task's id to the next task (migration 0007).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    completed: bool = False
    completed_at: datetime | None = optional_time_field()
    priority: Priority = Field(default=Priority.P4, sa_type=String(2))
    due_at: datetime | None = optional_time_field()
    recurrence: str | None = Field(default=None, max_length=RECURRENCE_MAX)
    remind_before_minutes: int | None = None
    # Derived from due_at - remind_before_minutes so the reminder check is one index range scan.
    remind_at: datetime | None = optional_time_field()
    reminder_sent: bool = False
    # Links an occurrence to the one whose completion created it; unique, so it happens once.
    previous_occurrence_id: int | None = Field(
        default=None, foreign_key="tasks.id", unique=True, ondelete="SET NULL"
    )
    created_at: datetime = now_field()
    updated_at: datetime = now_field()
    # Soft delete: a deleted task is hidden everywhere and can be restored for
    # RESTORE_WINDOW (docs/adr/0503); null while the task is live.
    deleted_at: datetime | None = optional_time_field()


# A plain pydantic model, not SQLModel: SQLModel's __init__ validates every instance a second
# time, which made up most of a listing page's validation (docs/adr/0003).
class TaskPublic(BaseModel):
    id: int
    title: str
    description: str
    completed: bool
    completed_at: datetime | None
    priority: Priority
    tags: list[str]
    due_at: datetime | None
    recurrence: str | None
    remind_before_minutes: int | None
    reminder_sent: bool
    previous_occurrence_id: int | None
    created_at: datetime
    updated_at: datetime
