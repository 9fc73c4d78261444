import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, TextClause, and_, func, literal_column, not_, or_, text
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from app.models.tag import Tag, TaskTag
from app.models.task import SEARCH_VECTOR_COLUMN, Task
from app.models.task_query import TaskQuery


def get_task(*, session: Session, user_id: uuid.UUID, task_id: int) -> Task | None:
    task = session.get(Task, task_id)
    return task if task is not None and task.user_id == user_id else None


def _tag_filter(user_id: uuid.UUID, names: list[str], mode: str) -> ColumnElement[bool]:
    keys = sorted({name.strip().lstrip("#").lower() for name in names})
    tagged = (
        select(TaskTag.task_id)
        .join(Tag, col(Tag.id) == TaskTag.tag_id)
        .where(Tag.user_id == user_id, col(Tag.name_key).in_(keys))
    )
    if mode == "all":
        tagged = tagged.group_by(col(TaskTag.task_id)).having(
            func.count(func.distinct(TaskTag.tag_id)) == len(keys)
        )
    return col(Task.id).in_(tagged)


def _search_filter(q: str, *, postgres: bool) -> ColumnElement[bool] | TextClause:
    if postgres:
        return text(f"{SEARCH_VECTOR_COLUMN} @@ websearch_to_tsquery('english', :q)").bindparams(
            q=q
        )
    terms = q.split()
    return and_(
        *(
            or_(
                col(Task.title).icontains(t, autoescape=True),
                col(Task.description).icontains(t, autoescape=True),
            )
            for t in terms
        )
    )


def _filters(
    query: TaskQuery,
    *,
    user_id: uuid.UUID,
    now: datetime,
    due_after: datetime | None,
    due_before: datetime | None,
    postgres: bool,
) -> list[ColumnElement[bool] | TextClause]:
    due = col(Task.due_at)
    clauses: list[ColumnElement[bool] | TextClause] = [col(Task.user_id) == user_id]
    if query.q:
        clauses.append(_search_filter(query.q, postgres=postgres))
    if query.priority:
        clauses.append(col(Task.priority).in_(query.priority))
    if query.status != "all":
        clauses.append(col(Task.completed).is_(query.status == "completed"))
    if query.tag:
        clauses.append(_tag_filter(user_id, query.tag, query.tag_mode))
    if due_after is not None:
        clauses.append(due >= due_after)
    if due_before is not None:
        clauses.append(due <= due_before)
    if query.has_due is not None:
        clauses.append(due.is_not(None) if query.has_due else due.is_(None))
    if query.overdue is not None:
        overdue = and_(due.is_not(None), due < now, col(Task.completed).is_(False))
        clauses.append(overdue if query.overdue else not_(overdue))
    return clauses


def _order_by(query: TaskQuery, *, postgres: bool) -> list[Any]:
    order: list[Any] = []
    if postgres and query.q and query.sort is None:
        rank = text(f"ts_rank({SEARCH_VECTOR_COLUMN}, websearch_to_tsquery('english', :q)) DESC")
        order.append(rank.bindparams(q=query.q))
    keys = query.sort_keys
    for key in keys:
        column = col(getattr(Task, key.field))
        if key.field == "due_at":
            # Tasks without a due date sort last in both directions.
            order.append(column.is_(None))
        order.append(column.desc() if key.descending else column.asc())
    # The id breaks ties, so equal keys keep a stable order across pages.
    order.append(col(Task.id).desc() if keys[0].descending else col(Task.id).asc())
    return order


def list_tasks(
    *,
    session: Session,
    user_id: uuid.UUID,
    query: TaskQuery,
    now: datetime,
    due_after: datetime | None = None,
    due_before: datetime | None = None,
) -> tuple[list[Task], int]:
    postgres = session.get_bind().dialect.name == "postgresql"
    where = _filters(
        query,
        user_id=user_id,
        now=now,
        due_after=due_after,
        due_before=due_before,
        postgres=postgres,
    )
    total_stmt: Select[Any] = (
        select(func.count(literal_column("1"))).select_from(Task).where(*where)
    )
    total = int(session.execute(total_stmt).scalar_one())
    stmt = select(Task).where(*where).order_by(*_order_by(query, postgres=postgres))
    tasks = session.exec(stmt.offset(query.offset).limit(query.limit)).all()
    return list(tasks), total


def get_next_occurrence(*, session: Session, previous_id: int) -> Task | None:
    return session.exec(select(Task).where(Task.previous_occurrence_id == previous_id)).first()


def lock_due_reminders(*, session: Session, now: datetime, limit: int) -> list[Task]:
    """Unsent reminders due by `now`, oldest first, locked FOR UPDATE SKIP LOCKED on
    PostgreSQL so concurrent checks never take the same row."""
    stmt = (
        select(Task)
        .where(
            col(Task.reminder_sent).is_(False),
            col(Task.completed).is_(False),
            col(Task.remind_at).is_not(None),
            col(Task.remind_at) <= now,
        )
        .order_by(col(Task.remind_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(stmt).all())
