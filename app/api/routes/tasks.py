from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status

from app.api.deps import PathUser, RowId, SessionDep
from app.api.responses import NOT_FOUND, USER_SCOPED, body_route, conflict
from app.models.task import CompletionUpdate, TaskCreate, TaskPublic, TaskReplace, TaskUpdate
from app.models.task_query import TaskQuery
from app.services import tasks

router = APIRouter(prefix="/api/{user_id}/tasks", tags=["tasks"], responses=USER_SCOPED)

# Bounded to the column, so a huge id is a 422 rather than a database error.
# A patch that leaves a recurring task without a due date conflicts with the stored task.
RECURRING_NEEDS_DUE = conflict("The task would repeat without a due date")
NOT_DELETED = conflict("The task is not deleted")


@router.get("", response_model=list[TaskPublic])
def list_tasks(
    *, session: SessionDep, user: PathUser, query: Annotated[TaskQuery, Query()]
) -> Response:
    """Lists the user's tasks; the total before paging is in the X-Total-Count header, exact
    up to 1,000 matches and PostgreSQL's estimate past that (X-Total-Count-Exact says which)."""
    page = tasks.list_tasks(session=session, user=user, query=query)
    # The page was validated once, in the service: serialised here as it is, rather than
    # validated again by FastAPI (in one more thread hop) and then encoded (docs/adr/0003).
    return Response(
        tasks.TASK_LIST.dump_json(page.tasks),
        media_type="application/json",
        headers={
            "X-Total-Count": str(page.total),
            "X-Total-Count-Exact": "true" if page.total_exact else "false",
        },
    )


@router.post(
    "", response_model=TaskPublic, status_code=status.HTTP_201_CREATED, responses=body_route()
)
def create_task(*, session: SessionDep, user: PathUser, body: TaskCreate) -> TaskPublic:
    return tasks.create_task(session=session, user=user, data=body)


@router.get("/{task_id}", response_model=TaskPublic, responses=NOT_FOUND)
def read_task(*, session: SessionDep, user: PathUser, task_id: RowId) -> TaskPublic:
    return tasks.get_task(session=session, user=user, task_id=task_id)


@router.put("/{task_id}", response_model=TaskPublic, responses=body_route(NOT_FOUND))
def replace_task(
    *, session: SessionDep, user: PathUser, task_id: RowId, body: TaskReplace
) -> TaskPublic:
    """Replaces every field; omitted optional fields return to their defaults."""
    return tasks.update_task(session=session, user=user, task_id=task_id, data=body)


@router.patch(
    "/{task_id}", response_model=TaskPublic, responses=body_route(NOT_FOUND, RECURRING_NEEDS_DUE)
)
def update_task(
    *, session: SessionDep, user: PathUser, task_id: RowId, body: TaskUpdate
) -> TaskPublic:
    """Changes only the fields given; null clears due_at, recurrence or the reminder."""
    return tasks.update_task(session=session, user=user, task_id=task_id, data=body)


@router.patch("/{task_id}/complete", response_model=TaskPublic, responses=body_route(NOT_FOUND))
def complete_task(
    *,
    session: SessionDep,
    user: PathUser,
    task_id: RowId,
    body: Annotated[CompletionUpdate | None, Body()] = None,
) -> TaskPublic:
    """With {"completed": true|false} sets completion; with no body, toggles it."""
    return tasks.set_completion(
        session=session, user=user, task_id=task_id, completed=body.completed if body else None
    )


@router.delete("/{task_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_task(*, session: SessionDep, user: PathUser, task_id: RowId) -> Response:
    """Deletes the task: it leaves every listing at once and can be restored for 30 days."""
    tasks.delete_task(session=session, user=user, task_id=task_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{task_id}/restore", response_model=TaskPublic, responses=NOT_FOUND | NOT_DELETED)
def restore_task(*, session: SessionDep, user: PathUser, task_id: RowId) -> TaskPublic:
    """Brings back a task deleted in the last 30 days, as it was (tags, due date, reminder);
    a task that is not deleted is a 409, one deleted longer ago (or unknown) a 404."""
    return tasks.restore_task(session=session, user=user, task_id=task_id)
