"""The task tools: one definition shared by the MCP server and both chat agents.

Each tool has a pydantic argument model (its JSON schema is what MCP clients and
models see) and a handler that calls the service layer, so validation and events
are exactly those of the REST API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlmodel import Session

from app.models.tag import TagCreate, TagUpdate
from app.models.task import TaskChanges, TaskCreate, TaskUpdate
from app.models.task_query import TaskQuery
from app.models.user import User
from app.services import tags as tag_service
from app.services import tasks as task_service
from app.services.errors import ServiceError

_json = TypeAdapter(Any)


@dataclass(frozen=True, kw_only=True)
class ToolContext:
    """Who calls, and the session the call runs in."""

    session: Session
    user: User
    correlation_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ToolOutcome:
    ok: bool
    result: Any
    """JSON-ready result on success; {"error": message} on failure."""


# The task tools take the API's own models (TaskCreate, TaskChanges, TaskQuery): their limits,
# validators and field descriptions. run_tool refuses keys a model does not declare.

TASK_ID_DOC = "The task's id (from add_task or list_tasks)."


class TaskIdArgs(BaseModel):
    task_id: int = Field(description=TASK_ID_DOC)


class UpdateTaskArgs(TaskChanges):
    task_id: int = Field(description=TASK_ID_DOC)


class CompleteTaskArgs(BaseModel):
    task_id: int = Field(description=TASK_ID_DOC)
    completed: bool = Field(default=True, description="true marks the task done; false reopens it.")


class NoArgs(BaseModel):
    pass


class RenameTagArgs(TagUpdate):
    tag_id: int = Field(description="The tag's id (from list_tags).")


class TagIdArgs(BaseModel):
    tag_id: int = Field(description="The tag's id (from list_tags).")


def _dump(value: Any) -> Any:
    return _json.dump_python(value, mode="json")


def _add_task(ctx: ToolContext, args: TaskCreate) -> Any:
    return _dump(
        task_service.create_task(
            session=ctx.session, user=ctx.user, data=args, correlation_id=ctx.correlation_id
        )
    )


def _list_tasks(ctx: ToolContext, args: TaskQuery) -> Any:
    page = task_service.list_tasks(session=ctx.session, user=ctx.user, query=args)
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


def _create_tag(ctx: ToolContext, args: TagCreate) -> Any:
    return _dump(tag_service.create_tag(session=ctx.session, user=ctx.user, data=args))


def _rename_tag(ctx: ToolContext, args: RenameTagArgs) -> Any:
    data = TagUpdate(name=args.name)
    return _dump(
        tag_service.rename_tag(session=ctx.session, user=ctx.user, tag_id=args.tag_id, data=data)
    )


def _delete_tag(ctx: ToolContext, args: TagIdArgs) -> Any:
    tag_service.delete_tag(session=ctx.session, user=ctx.user, tag_id=args.tag_id)
    return {"deleted": args.tag_id}


@dataclass(frozen=True, kw_only=True)
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
        return {**self.args_model.model_json_schema(), "additionalProperties": False}


_SPECS = [
    ToolSpec(
        name="add_task",
        title="Add a task",
        description="Create a task for the user. Only title is required. Returns the created task "
        "(id, title, priority, tags, due_at in UTC, recurrence, remind_before_minutes, ...).",
        args_model=TaskCreate,
        handler=_add_task,
    ),
    ToolSpec(
        name="list_tasks",
        title="List or search tasks",
        description=(
            "List the user's tasks with optional keyword search, filters (priority, status, tags, "
            "due range, overdue, has_due), sort and paging. Returns {total, tasks}; total counts "
            "all matches before paging. Use it to find a task's id from its title."
        ),
        args_model=TaskQuery,
        handler=_list_tasks,
        read_only=True,
    ),
    ToolSpec(
        name="get_task",
        title="Get a task",
        description="Return one task by id.",
        args_model=TaskIdArgs,
        handler=_get_task,
        read_only=True,
    ),
    ToolSpec(
        name="update_task",
        title="Change a task",
        description=(
            "Change only the fields given (title, description, priority, tags, due_at, recurrence, "
            "remind_before_minutes); omitted fields keep their value, null clears due_at, "
            "recurrence or the reminder. To complete or reopen use complete_task. Returns the "
            "updated task."
        ),
        args_model=UpdateTaskArgs,
        handler=_update_task,
    ),
    ToolSpec(
        name="complete_task",
        title="Complete or reopen a task",
        description=(
            "Mark a task done (completed=true, the default) or reopen it (completed=false). "
            "Completing a recurring task creates its next occurrence. Returns the task."
        ),
        args_model=CompleteTaskArgs,
        handler=_complete_task,
    ),
    ToolSpec(
        name="delete_task",
        title="Delete a task",
        description="Delete a task permanently.",
        args_model=TaskIdArgs,
        handler=_delete_task,
        destructive=True,
    ),
    ToolSpec(
        name="list_tags",
        title="List tags",
        description="List the user's tags with their ids and how many tasks carry each.",
        args_model=NoArgs,
        handler=_list_tags,
        read_only=True,
    ),
    ToolSpec(
        name="create_tag",
        title="Create a tag",
        description="Create a tag (names are unique per user, ignoring case).",
        args_model=TagCreate,
        handler=_create_tag,
    ),
    ToolSpec(
        name="rename_tag",
        title="Rename a tag",
        description="Rename a tag everywhere it is used.",
        args_model=RenameTagArgs,
        handler=_rename_tag,
    ),
    ToolSpec(
        name="delete_tag",
        title="Delete a tag",
        description="Delete a tag and remove it from every task (the tasks stay).",
        args_model=TagIdArgs,
        handler=_delete_tag,
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
        return ToolOutcome(ok=False, result={"error": f"unknown tool {name!r}"})
    unknown = sorted(set(arguments) - set(spec.args_model.model_fields))
    if unknown:
        return ToolOutcome(ok=False, result={"error": f"unknown argument(s): {', '.join(unknown)}"})
    try:
        args = spec.args_model.model_validate(arguments)
        return ToolOutcome(ok=True, result=spec.handler(ctx, args))
    except ValidationError as exc:
        ctx.session.rollback()
        return ToolOutcome(ok=False, result={"error": _validation_message(exc)})
    except ServiceError as exc:
        ctx.session.rollback()
        return ToolOutcome(ok=False, result={"error": exc.message})
