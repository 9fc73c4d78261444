"""The task tools: one definition shared by the MCP server and both chat agents.

Each tool has a pydantic argument model (its JSON schema is what MCP clients and
models see) and a handler that calls the service layer, so validation and events
are exactly those of the REST API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

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


TOOLS: dict[str, ToolSpec] = {}
Args = TypeVar("Args", bound=BaseModel)
Handler = Callable[[ToolContext, Args], Any]


def _tool(
    name: str,
    args_model: type[Args],
    title: str,
    *,
    read_only: bool = False,
    destructive: bool = False,
) -> Callable[[Handler[Args]], Handler[Args]]:
    """Registers the handler below as a tool (in listing order); its docstring is the
    description clients and models read."""

    def register(handler: Handler[Args]) -> Handler[Args]:
        TOOLS[name] = ToolSpec(
            name=name,
            title=title,
            description=" ".join((handler.__doc__ or "").split()),
            args_model=args_model,
            handler=handler,
            read_only=read_only,
            destructive=destructive,
        )
        return handler

    return register


@_tool("add_task", TaskCreate, "Add a task")
def _add_task(ctx: ToolContext, args: TaskCreate) -> Any:
    """Create a task for the user. Only title is required. Returns the created task (id,
    title, priority, tags, due_at in UTC, recurrence, remind_before_minutes, ...)."""
    return _dump(task_service.create_task(session=ctx.session, user=ctx.user, data=args))


@_tool("list_tasks", TaskQuery, "List or search tasks", read_only=True)
def _list_tasks(ctx: ToolContext, args: TaskQuery) -> Any:
    """List the user's tasks with optional keyword search, filters (priority, status, tags,
    due range, overdue, has_due), sort and paging. Returns {total, tasks}; total counts all
    matches before paging. Use it to find a task's id from its title."""
    page = task_service.list_tasks(session=ctx.session, user=ctx.user, query=args)
    return {"total": page.total, "tasks": _dump(page.tasks)}


@_tool("get_task", TaskIdArgs, "Get a task", read_only=True)
def _get_task(ctx: ToolContext, args: TaskIdArgs) -> Any:
    """Return one task by id."""
    return _dump(task_service.get_task(session=ctx.session, user=ctx.user, task_id=args.task_id))


@_tool("update_task", UpdateTaskArgs, "Change a task")
def _update_task(ctx: ToolContext, args: UpdateTaskArgs) -> Any:
    """Change only the fields given (title, description, priority, tags, due_at, recurrence,
    remind_before_minutes); omitted fields keep their value, null clears due_at, recurrence
    or the reminder. To complete or reopen use complete_task. Returns the updated task."""
    values = args.model_dump(exclude_unset=True, exclude={"task_id"})
    return _dump(
        task_service.update_task(
            session=ctx.session,
            user=ctx.user,
            task_id=args.task_id,
            data=TaskUpdate.model_validate(values),
        )
    )


@_tool("complete_task", CompleteTaskArgs, "Complete or reopen a task")
def _complete_task(ctx: ToolContext, args: CompleteTaskArgs) -> Any:
    """Mark a task done (completed=true, the default) or reopen it (completed=false).
    Completing a recurring task creates its next occurrence. Returns the task."""
    return _dump(
        task_service.set_completion(
            session=ctx.session,
            user=ctx.user,
            task_id=args.task_id,
            completed=args.completed,
        )
    )


@_tool("delete_task", TaskIdArgs, "Delete a task", destructive=True)
def _delete_task(ctx: ToolContext, args: TaskIdArgs) -> Any:
    """Delete a task; the user can still restore it for 30 days (Undo in the web app)."""
    task_service.delete_task(session=ctx.session, user=ctx.user, task_id=args.task_id)
    return {"deleted": args.task_id}


@_tool("list_tags", NoArgs, "List tags", read_only=True)
def _list_tags(ctx: ToolContext, _: NoArgs) -> Any:
    """List the user's tags with their ids and how many tasks carry each."""
    return {"tags": _dump(tag_service.list_tags(session=ctx.session, user=ctx.user))}


@_tool("create_tag", TagCreate, "Create a tag")
def _create_tag(ctx: ToolContext, args: TagCreate) -> Any:
    """Create a tag (names are unique per user, ignoring case)."""
    return _dump(tag_service.create_tag(session=ctx.session, user=ctx.user, data=args))


@_tool("rename_tag", RenameTagArgs, "Rename a tag")
def _rename_tag(ctx: ToolContext, args: RenameTagArgs) -> Any:
    """Rename a tag everywhere it is used."""
    data = TagUpdate(name=args.name)
    return _dump(
        tag_service.rename_tag(session=ctx.session, user=ctx.user, tag_id=args.tag_id, data=data)
    )


@_tool("delete_tag", TagIdArgs, "Delete a tag", destructive=True)
def _delete_tag(ctx: ToolContext, args: TagIdArgs) -> Any:
    """Delete a tag and remove it from every task (the tasks stay)."""
    tag_service.delete_tag(session=ctx.session, user=ctx.user, tag_id=args.tag_id)
    return {"deleted": args.tag_id}


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
