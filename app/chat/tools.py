"""The task tools: one definition shared by the MCP server and both chat agents.

Each tool has a pydantic argument model (its JSON schema is what MCP clients and
models see) and a handler that calls the service layer, so validation and events
are exactly those of the REST API.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlmodel import Session

from app.models.tag import TAG_NAME_MAX, TagCreate, TagUpdate
from app.models.task import (
    DESCRIPTION_MAX,
    REMIND_BEFORE_MAX,
    TITLE_MAX,
    Priority,
    TaskCreate,
    TaskUpdate,
)
from app.models.task_query import LIMIT_MAX, TaskQuery
from app.models.user import User
from app.services import tags as tag_service
from app.services import tasks as task_service
from app.services.errors import ServiceError

_json = TypeAdapter(Any)

DUE_AT_DOC = (
    "Due date-time, ISO 8601. With an offset (2026-03-06T17:00:00+01:00) it is that instant; "
    "without one (2026-03-06T17:00:00) it is read in the user's timezone."
)
RECURRENCE_DOC = (
    "Repeat rule: an RFC 5545 RRULE without DTSTART (FREQ=WEEKLY;BYDAY=MO,WE), a preset "
    "(daily, weekly, monthly, yearly) or a five-field cron expression. Occurrences are "
    "anchored on due_at, so a recurring task needs due_at. The next occurrence is created "
    "when the task is completed."
)
REMIND_DOC = f"Minutes before due_at to send a reminder (0-{REMIND_BEFORE_MAX}); needs due_at."
PRIORITY_DOC = "P1 (most urgent) to P4 (default, least urgent)."


@dataclass(frozen=True)
class ToolContext:
    """Who calls, and the session the call runs in."""

    session: Session
    user: User
    correlation_id: str | None = None


@dataclass(frozen=True)
class ToolOutcome:
    ok: bool
    result: Any
    """JSON-ready result on success; {"error": message} on failure."""


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddTaskArgs(_Args):
    title: str = Field(min_length=1, max_length=TITLE_MAX, description="Short title of the task.")
    description: str = Field(default="", max_length=DESCRIPTION_MAX, description="Free text.")
    priority: Priority = Field(default=Priority.P4, description=PRIORITY_DOC)
    tags: list[str] = Field(
        default_factory=list, description="Tag names (a leading '#' is dropped); created if new."
    )
    due_at: datetime | None = Field(default=None, description=DUE_AT_DOC)
    recurrence: str | None = Field(default=None, description=RECURRENCE_DOC)
    remind_before_minutes: int | None = Field(
        default=None, ge=0, le=REMIND_BEFORE_MAX, description=REMIND_DOC
    )


class ListTasksArgs(_Args):
    q: str | None = Field(
        default=None, max_length=200, description="Keywords that must appear in title/description."
    )
    priority: list[Priority] = Field(
        default_factory=list, description="Only these priorities (any of them)."
    )
    status: Literal["open", "completed", "all"] = Field(
        default="all", description="open = not completed."
    )
    tag: list[str] = Field(default_factory=list, description="Only tasks with these tags.")
    tag_mode: Literal["any", "all"] = Field(
        default="any", description="any: at least one of the tags; all: every tag."
    )
    due_after: datetime | None = Field(
        default=None, description="Due at or after this time (inclusive). " + DUE_AT_DOC
    )
    due_before: datetime | None = Field(
        default=None, description="Due at or before this time (inclusive). " + DUE_AT_DOC
    )
    overdue: bool | None = Field(
        default=None, description="true: open tasks whose due time has passed; false: the others."
    )
    has_due: bool | None = Field(
        default=None, description="true: only tasks with a due date; false: only without."
    )
    sort: str | None = Field(
        default=None,
        description="Comma-separated fields, '-' prefix for descending: priority, due_at, "
        "created_at, updated_at, title. Default -created_at.",
    )
    offset: int = Field(default=0, ge=0, description="Tasks to skip (paging).")
    limit: int = Field(default=50, ge=1, le=LIMIT_MAX, description="Page size.")


class TaskIdArgs(_Args):
    task_id: int = Field(description="The task's id (from add_task or list_tasks).")


class UpdateTaskArgs(_Args):
    task_id: int = Field(description="The task's id (from add_task or list_tasks).")
    title: str | None = Field(default=None, max_length=TITLE_MAX, description="New title.")
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    priority: Priority | None = Field(default=None, description=PRIORITY_DOC)
    tags: list[str] | None = Field(
        default=None, description="Replaces all tags of the task; [] removes them."
    )
    due_at: datetime | None = Field(default=None, description=DUE_AT_DOC + " null clears it.")
    recurrence: str | None = Field(default=None, description=RECURRENCE_DOC + " null clears it.")
    remind_before_minutes: int | None = Field(
        default=None, ge=0, le=REMIND_BEFORE_MAX, description=REMIND_DOC + " null clears it."
    )


class CompleteTaskArgs(_Args):
    task_id: int = Field(description="The task's id (from add_task or list_tasks).")
    completed: bool = Field(default=True, description="true marks the task done; false reopens it.")


class NoArgs(_Args):
    pass


class CreateTagArgs(_Args):
    name: str = Field(min_length=1, max_length=TAG_NAME_MAX, description="Tag name, unique.")


class RenameTagArgs(_Args):
    tag_id: int = Field(description="The tag's id (from list_tags).")
    name: str = Field(min_length=1, max_length=TAG_NAME_MAX, description="New name.")


class TagIdArgs(_Args):
    tag_id: int = Field(description="The tag's id (from list_tags).")


def _dump(value: Any) -> Any:
    return _json.dump_python(value, mode="json")


def _add_task(ctx: ToolContext, args: AddTaskArgs) -> Any:
    data = TaskCreate.model_validate(args.model_dump())
    return _dump(
        task_service.create_task(
            session=ctx.session, user=ctx.user, data=data, correlation_id=ctx.correlation_id
        )
    )


def _list_tasks(ctx: ToolContext, args: ListTasksArgs) -> Any:
    page = task_service.list_tasks(
        session=ctx.session, user=ctx.user, query=TaskQuery.model_validate(args.model_dump())
    )
    return {"total": page.total, "tasks": _dump(page.tasks)}


def _get_task(ctx: ToolContext, args: TaskIdArgs) -> Any:
    return _dump(task_service.get_task(session=ctx.session, user=ctx.user, task_id=args.task_id))


def _update_task(ctx: ToolContext, args: UpdateTaskArgs) -> Any:
    values = args.model_dump(exclude_unset=True, exclude={"task_id"})
    return _dump(
        task_service.update_task(
            session=ctx.session,
            user=ctx.user,
            task_id=args.task_id,
            data=TaskUpdate.model_validate(values),
            correlation_id=ctx.correlation_id,
        )
    )


def _complete_task(ctx: ToolContext, args: CompleteTaskArgs) -> Any:
    return _dump(
        task_service.set_completion(
            session=ctx.session,
            user=ctx.user,
            task_id=args.task_id,
            completed=args.completed,
            correlation_id=ctx.correlation_id,
        )
    )


def _delete_task(ctx: ToolContext, args: TaskIdArgs) -> Any:
    task_service.delete_task(
        session=ctx.session, user=ctx.user, task_id=args.task_id, correlation_id=ctx.correlation_id
    )
    return {"deleted": args.task_id}


def _list_tags(ctx: ToolContext, _: NoArgs) -> Any:
    return {"tags": _dump(tag_service.list_tags(session=ctx.session, user=ctx.user))}


def _create_tag(ctx: ToolContext, args: CreateTagArgs) -> Any:
    data = TagCreate.model_validate({"name": args.name})
    return _dump(tag_service.create_tag(session=ctx.session, user=ctx.user, data=data))


def _rename_tag(ctx: ToolContext, args: RenameTagArgs) -> Any:
    data = TagUpdate.model_validate({"name": args.name})
    return _dump(
        tag_service.rename_tag(session=ctx.session, user=ctx.user, tag_id=args.tag_id, data=data)
    )


def _delete_tag(ctx: ToolContext, args: TagIdArgs) -> Any:
    tag_service.delete_tag(session=ctx.session, user=ctx.user, tag_id=args.tag_id)
    return {"deleted": args.tag_id}


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    args_model: type[BaseModel]
    handler: Callable[[ToolContext, Any], Any]
    read_only: bool = False
    destructive: bool = False

    @property
    def input_schema(self) -> dict[str, Any]:
        return self.args_model.model_json_schema()


_SPECS = [
    ToolSpec(
        "add_task",
        "Add a task",
        "Create a task for the user. Only title is required. Returns the created task "
        "(id, title, priority, tags, due_at in UTC, recurrence, remind_before_minutes, ...).",
        AddTaskArgs,
        _add_task,
    ),
    ToolSpec(
        "list_tasks",
        "List or search tasks",
        "List the user's tasks with optional keyword search, filters (priority, status, tags, "
        "due range, overdue, has_due), sort and paging. Returns {total, tasks}; total counts all "
        "matches before paging. Use it to find a task's id from its title.",
        ListTasksArgs,
        _list_tasks,
        read_only=True,
    ),
    ToolSpec(
        "get_task",
        "Get a task",
        "Return one task by id.",
        TaskIdArgs,
        _get_task,
        read_only=True,
    ),
    ToolSpec(
        "update_task",
        "Change a task",
        "Change only the fields given (title, description, priority, tags, due_at, recurrence, "
        "remind_before_minutes); omitted fields keep their value, null clears due_at, recurrence "
        "or the reminder. To complete or reopen use complete_task. Returns the updated task.",
        UpdateTaskArgs,
        _update_task,
    ),
    ToolSpec(
        "complete_task",
        "Complete or reopen a task",
        "Mark a task done (completed=true, the default) or reopen it (completed=false). "
        "Completing a recurring task creates its next occurrence. Returns the task.",
        CompleteTaskArgs,
        _complete_task,
    ),
    ToolSpec(
        "delete_task",
        "Delete a task",
        "Delete a task permanently.",
        TaskIdArgs,
        _delete_task,
        destructive=True,
    ),
    ToolSpec(
        "list_tags",
        "List tags",
        "List the user's tags with their ids and how many tasks carry each.",
        NoArgs,
        _list_tags,
        read_only=True,
    ),
    ToolSpec(
        "create_tag",
        "Create a tag",
        "Create a tag (names are unique per user, ignoring case).",
        CreateTagArgs,
        _create_tag,
    ),
    ToolSpec(
        "rename_tag",
        "Rename a tag",
        "Rename a tag everywhere it is used.",
        RenameTagArgs,
        _rename_tag,
    ),
    ToolSpec(
        "delete_tag",
        "Delete a tag",
        "Delete a tag and remove it from every task (the tasks stay).",
        TagIdArgs,
        _delete_tag,
        destructive=True,
    ),
]
TOOLS: dict[str, ToolSpec] = {spec.name: spec for spec in _SPECS}


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: "
        f"{str(e['msg']).removeprefix('Value error, ')}"
        for e in exc.errors()
    )


def run_tool(ctx: ToolContext, name: str, arguments: dict[str, Any]) -> ToolOutcome:
    """Validates the arguments and runs the tool; failures come back as {"error": ...}."""
    spec = TOOLS.get(name)
    if spec is None:
        return ToolOutcome(False, {"error": f"unknown tool {name!r}"})
    try:
        args = spec.args_model.model_validate(arguments)
        return ToolOutcome(True, spec.handler(ctx, args))
    except ValidationError as exc:
        ctx.session.rollback()
        return ToolOutcome(False, {"error": _validation_message(exc)})
    except ServiceError as exc:
        ctx.session.rollback()
        return ToolOutcome(False, {"error": exc.message})
