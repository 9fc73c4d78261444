"""A user's data out and in: GET /api/{user_id}/export (JSON or CSV), POST .../import/todoist.

The CSV is Todoist's export layout (TYPE, CONTENT, DESCRIPTION, PRIORITY, INDENT, AUTHOR,
RESPONSIBLE, DATE, DATE_LANG, TIMEZONE) plus exact columns of our own (DUE_AT, RECURRENCE,
REMIND_BEFORE_MINUTES, COMPLETED), so Taskflow reads back its own export and a Todoist one
alike. Todoist's DATE is words ("every monday", "Dec 1 17:00"): it is read by the same quick-add
parser as the add box. Todoist's priority 4 is its highest, our P1.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ValidationError

from app.api.deps import PathUser, SessionDep
from app.api.responses import INVALID, UNAVAILABLE, USER_SCOPED
from app.chat.parsing.quick_add import parse_quick_add
from app.domain.due_dates import is_all_day
from app.domain.timezones import parse_timezone
from app.models.activity import ActivityQuery
from app.models.notification import NotificationQuery
from app.models.page_window import LIMIT_MAX, PageWindow
from app.models.task import TaskCreate, TaskPublic
from app.models.task_query import TaskQuery
from app.services import activity, tasks
from app.services.errors import InvalidInput

router = APIRouter(
    prefix="/api/{user_id}", tags=["data"], responses=INVALID | UNAVAILABLE | USER_SCOPED
)
COLUMNS = [
    "TYPE",
    "CONTENT",
    "DESCRIPTION",
    "PRIORITY",
    "INDENT",
    "AUTHOR",
    "RESPONSIBLE",
    "DATE",
    "DATE_LANG",
    "TIMEZONE",
    "DUE_AT",
    "RECURRENCE",
    "REMIND_BEFORE_MINUTES",
    "COMPLETED",
]
IMPORT_MAX_BYTES = 2_000_000
IMPORT_MAX_TASKS = 2_000
# What the import reads, for the OpenAPI document: UTF-8 CSV text whose header row has a
# CONTENT column (a file without one is refused with 422).
IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {
                    "type": "string",
                    "maxLength": IMPORT_MAX_BYTES // 4,  # 4 bytes per character at most
                    "pattern": r"^\ufeff?([^\",\r\n]*,)*CONTENT(,[^\r\n]*)?([\r\n][\s\S]*)?$",
                }
            }
        },
    }
}


class ImportResult(BaseModel):
    imported: int
    skipped: list[str]
    """One line per row not imported: its line number and why."""


T = TypeVar("T")
Q = TypeVar("Q", bound=PageWindow)


def _every_page(list_page: Callable[[Q], tuple[list[T], int]], query: Q) -> list[T]:
    """All the items of a paged list, LIMIT_MAX at a time."""
    found: list[T] = []
    while True:
        items, total = list_page(
            query.model_copy(update={"offset": len(found), "limit": LIMIT_MAX})
        )
        found.extend(items)
        if not items or len(found) >= total:
            return found


def _all_tasks(session: SessionDep, user: PathUser) -> list[TaskPublic]:
    def list_page(query: TaskQuery) -> tuple[list[TaskPublic], int]:
        page = tasks.list_tasks(session=session, user=user, query=query)
        return page.tasks, page.total

    return _every_page(list_page, TaskQuery(status="all", sort="created_at"))


def _csv(user: PathUser, items: list[TaskPublic]) -> str:
    zone = ZoneInfo(user.timezone)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for task in items:
        due = task.due_at.astimezone(zone) if task.due_at else None
        labels = "".join(f" @{tag}" for tag in task.tags)
        writer.writerow(
            {
                "TYPE": "task",
                "CONTENT": f"{task.title}{labels}",
                "DESCRIPTION": task.description,
                "PRIORITY": str(5 - int(task.priority.value[1])),
                "INDENT": "1",
                # Todoist reads a date alone as a day without a time.
                "DATE": due.strftime("%Y-%m-%d" if is_all_day(due) else "%Y-%m-%d %H:%M")
                if due
                else "",
                "DATE_LANG": "en",
                "TIMEZONE": user.timezone,
                "DUE_AT": task.due_at.isoformat() if task.due_at else "",
                "RECURRENCE": task.recurrence or "",
                "REMIND_BEFORE_MINUTES": ""
                if task.remind_before_minutes is None
                else str(task.remind_before_minutes),
                "COMPLETED": "true" if task.completed else "",
            }
        )
    return out.getvalue()


@router.get("/export", responses={200: {"content": {"text/csv": {}}}})
def export_data(
    *,
    session: SessionDep,
    user: PathUser,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Response:
    """Everything of the user's: profile, tasks, activity and notifications (JSON), or the tasks
    as a Todoist-style CSV that POST /import/todoist reads back."""
    items = _all_tasks(session, user)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    if format == "csv":
        return Response(
            _csv(user, items),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="taskflow-{stamp}.csv"'},
        )
    document = {
        "format": "taskflow-export-1",
        "exported_at": datetime.now(UTC).isoformat(),
        "user": {
            "id": str(user.id),
            "name": user.name,
            "email": user.email,
            "timezone": user.timezone,
        },
        "tasks": [t.model_dump(mode="json") for t in items],
        "activity": [
            e.model_dump(mode="json")
            for e in _every_page(
                lambda q: activity.list_activity(session=session, user=user, query=q),
                ActivityQuery(),
            )
        ],
        "notifications": [
            n.model_dump(mode="json")
            for n in _every_page(
                lambda q: activity.list_notifications(session=session, user=user, query=q),
                NotificationQuery(),
            )
        ],
    }
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="taskflow-{stamp}.json"'},
    )


def _task_from_row(row: dict[str, str], user: PathUser) -> tuple[TaskCreate, bool]:
    content = (row.get("CONTENT") or "").strip()
    words = content.split()
    tags = [w[1:] for w in words if w.startswith("@") and len(w) > 1]
    title = " ".join(w for w in words if not (w.startswith("@") and len(w) > 1))
    fields: dict[str, Any] = {
        "title": title,
        "description": row.get("DESCRIPTION") or "",
        "tags": tags,
    }
    priority = (row.get("PRIORITY") or "").strip()
    if priority in {"1", "2", "3", "4"}:
        fields["priority"] = f"P{5 - int(priority)}"
    if (row.get("DUE_AT") or "").strip():
        fields["due_at"] = row["DUE_AT"].strip()
        fields["recurrence"] = (row.get("RECURRENCE") or "").strip() or None
        minutes = (row.get("REMIND_BEFORE_MINUTES") or "").strip()
        fields["remind_before_minutes"] = int(minutes) if minutes.isdigit() else None
    elif (row.get("DATE") or "").strip():
        zone = parse_timezone((row.get("TIMEZONE") or "").strip() or user.timezone)
        reading = parse_quick_add(row["DATE"].strip(), now=datetime.now(UTC), tz=zone)
        if reading.due is None:
            raise ValueError(f"date {row['DATE'].strip()!r} not understood")
        fields["due_at"] = reading.due.isoformat()
        fields["recurrence"] = reading.recurrence
    completed = (row.get("COMPLETED") or "").strip() == "true"
    if completed:
        # A finished occurrence is history: repeating it would schedule a second successor.
        fields["recurrence"] = None
    return TaskCreate.model_validate(fields), completed


@router.post("/import/todoist", response_model=ImportResult, openapi_extra=IMPORT_BODY)
async def import_todoist(*, request: Request, session: SessionDep, user: PathUser) -> ImportResult:
    """Reads a Todoist CSV export (or Taskflow's own CSV) sent as the body (text/csv): task
    rows become tasks (title, notes, priority, @labels as tags, due date, repeat); sections,
    notes and rows that do not read are skipped and listed."""
    raw = await request.body()
    if len(raw) > IMPORT_MAX_BYTES:
        raise InvalidInput("body", f"the file is larger than {IMPORT_MAX_BYTES // 1_000_000} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("body", "the file is not UTF-8 text") from None
    return await run_in_threadpool(_import, text, session, user)


def _import(text: str, session: SessionDep, user: PathUser) -> ImportResult:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        # Read whole before importing any row: a file that breaks the CSV reader (a field past
        # its size limit) is refused as a whole, not half imported.
        header, rows = reader.fieldnames, list(reader)
    except csv.Error as exc:
        raise InvalidInput("body", f"not a readable CSV file: {exc}") from None
    if not header or "CONTENT" not in header:
        raise InvalidInput("body", "not a Todoist CSV export: no CONTENT column")
    imported, skipped = 0, []
    for line, row in enumerate(rows, start=2):
        if (row.get("TYPE") or "task").strip().lower() != "task":
            continue
        if imported >= IMPORT_MAX_TASKS:
            skipped.append(f"line {line}: more than {IMPORT_MAX_TASKS} tasks")
            break
        try:
            data, completed = _task_from_row(row, user)
        except (ValidationError, ValueError) as exc:
            reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            skipped.append(f"line {line}: {reason}")
            continue
        try:
            created = tasks.create_task(session=session, user=user, data=data)
            if completed:
                tasks.set_completion(
                    session=session,
                    user=user,
                    task_id=created.id,
                    completed=True,
                )
        except InvalidInput as exc:
            skipped.append(f"line {line}: {exc.message}")
            continue
        imported += 1
    return ImportResult(imported=imported, skipped=skipped)
