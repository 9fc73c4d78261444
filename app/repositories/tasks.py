from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    ColumnElement,
    Table,
    TextClause,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    not_,
    or_,
    text,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from app.models.tag import Tag, TaskTag
from app.models.task import SEARCH_VECTOR_COLUMN, Task
from app.models.task_query import TaskQuery


def find_task(
    *, session: Session, user_id: uuid.UUID, task_id: int, lock: bool = False
) -> Task | None:
    """The user's task, deleted or not; `lock` takes the row FOR UPDATE on PostgreSQL, so
    changes that read other rows first (the series' successor) run one after the other."""
    # Locking reads the row again (an instance already in the session is refreshed).
    task = (
        session.get(Task, task_id, with_for_update=True, populate_existing=True)
        if lock
        else session.get(Task, task_id)
    )
    return task if task is not None and task.user_id == user_id else None


def get_task(
    *, session: Session, user_id: uuid.UUID, task_id: int, lock: bool = False
) -> Task | None:
    """The user's task unless it is deleted."""
    task = find_task(session=session, user_id=user_id, task_id=task_id, lock=lock)
    return task if task is not None and task.deleted_at is None else None


# The listing reads the tables through Core: its statement takes no ORM compile step and
# its rows no ORM loading (both showed in the listing's profile, docs/adr/0003).
_TASKS: Table = Task.__table__  # type: ignore[attr-defined]
_TAGS: Table = Tag.__table__  # type: ignore[attr-defined]
_TASK_TAGS: Table = TaskTag.__table__  # type: ignore[attr-defined]
_TAGGED = _TASK_TAGS.join(_TAGS, _TAGS.c.id == _TASK_TAGS.c.tag_id)
# The mapped columns (the stored search vector is not mapped); the id is generated.
_COLUMNS = tuple(_TASKS.columns)
_INSERT_COLUMNS = tuple(c.name for c in _COLUMNS if c.name != "id")
# Built once on the table, the values bound per call: a statement built per call with
# .values() paid its cache key over every value, and the ORM's bulk-insert path, on each create.
_INSERT_TASK = insert(_TASKS).returning(_TASKS.c.id)


def insert_task(*, session: Session, task: Task) -> int:
    """Writes a new task with one INSERT ... RETURNING id; the instance stays out of the
    session (nothing is flushed, expired or read back)."""
    values = {name: getattr(task, name) for name in _INSERT_COLUMNS}
    return int(session.connection().execute(_INSERT_TASK, values).scalar_one())


class _Shape(NamedTuple):
    """What a listing's SQL text depends on; the values go in as bound parameters, so one
    statement per shape is built once and reused (its cache key is memoised on it). A tuple:
    built and hashed on every request, cheaper than a frozen dataclass."""

    postgres: bool
    terms: int  # words of q matched with LIKE on SQLite; 1 for full-text search on PostgreSQL
    priority: bool
    status: str
    tag_mode: str | None
    due_after: bool
    due_before: bool
    has_due: bool | None
    overdue: bool | None
    sort: tuple[tuple[str, bool], ...]
    ranked: bool


def _like(term: str) -> str:
    """A substring pattern with LIKE's wildcards taken literally (escaped with '/')."""
    escaped = term.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def _bind(
    query: TaskQuery,
    *,
    user_id: uuid.UUID,
    now: datetime,
    due_after: datetime | None,
    due_before: datetime | None,
    postgres: bool,
) -> tuple[_Shape, dict[str, Any]]:
    """The query's shape and the values of its bound parameters."""
    params: dict[str, Any] = {"user_id": user_id, "offset": query.offset, "limit": query.limit}
    terms = 0
    if query.q and postgres:
        params["q"], terms = query.q, 1
    elif query.q:
        words = query.q.split()
        params |= {f"term_{i}": _like(word) for i, word in enumerate(words)}
        terms = len(words)
    if query.priority:
        params["priority"] = list(query.priority)
    if query.tag:
        keys = sorted({name.strip().lstrip("#").lower() for name in query.tag})
        params |= {"tag_keys": keys, "tag_count": len(keys)}
    params |= {"due_after": due_after, "due_before": due_before, "now": now}
    shape = _Shape(
        postgres=postgres,
        terms=terms,
        priority=bool(query.priority),
        status=query.status,
        tag_mode=query.tag_mode if query.tag else None,
        due_after=due_after is not None,
        due_before=due_before is not None,
        has_due=query.has_due,
        overdue=query.overdue,
        sort=tuple((key.field, key.descending) for key in query.sort_keys),
        ranked=postgres and bool(query.q) and query.sort is None,
    )
    return shape, params


def _tag_filter(mode: str) -> ColumnElement[bool]:
    tagged = (
        select(_TASK_TAGS.c.task_id)
        .select_from(_TAGGED)
        .where(
            _TAGS.c.user_id == bindparam("user_id"),
            _TAGS.c.name_key.in_(bindparam("tag_keys", expanding=True)),
        )
    )
    if mode == "all":
        tagged = tagged.group_by(_TASK_TAGS.c.task_id).having(
            func.count(func.distinct(_TASK_TAGS.c.tag_id)) == bindparam("tag_count")
        )
    return _TASKS.c.id.in_(tagged)


def _search_filter(shape: _Shape) -> ColumnElement[bool] | TextClause:
    if shape.postgres:
        return text(f"{SEARCH_VECTOR_COLUMN} @@ websearch_to_tsquery('english', :q)")
    return and_(
        *(
            or_(
                *(
                    func.lower(column).like(func.lower(bindparam(f"term_{i}")), escape="/")
                    for column in (_TASKS.c.title, _TASKS.c.description)
                )
            )
            for i in range(shape.terms)
        )
    )


def _filters(shape: _Shape) -> list[ColumnElement[bool] | TextClause]:
    task = _TASKS.c
    due = task.due_at
    clauses: list[ColumnElement[bool] | TextClause] = [
        task.user_id == bindparam("user_id"),
        task.deleted_at.is_(None),
    ]
    if shape.terms:
        clauses.append(_search_filter(shape))
    if shape.priority:
        clauses.append(task.priority.in_(bindparam("priority", expanding=True)))
    if shape.status != "all":
        clauses.append(task.completed.is_(shape.status == "completed"))
    if shape.tag_mode is not None:
        clauses.append(_tag_filter(shape.tag_mode))
    if shape.due_after:
        clauses.append(due >= bindparam("due_after"))
    if shape.due_before:
        clauses.append(due <= bindparam("due_before"))
    if shape.has_due is not None:
        clauses.append(due.is_not(None) if shape.has_due else due.is_(None))
    if shape.overdue is not None:
        overdue = and_(due.is_not(None), due < bindparam("now"), task.completed.is_(False))
        clauses.append(overdue if shape.overdue else not_(overdue))
    return clauses


def _order_by(shape: _Shape) -> list[Any]:
    order: list[Any] = []
    if shape.ranked:
        order.append(
            text(f"ts_rank({SEARCH_VECTOR_COLUMN}, websearch_to_tsquery('english', :q)) DESC")
        )
    for field, descending in shape.sort:
        column = _TASKS.c[field]
        if field == "due_at":
            # Tasks without a due date sort last in both directions.
            order.append(column.is_(None))
        order.append(column.desc() if descending else column.asc())
    # The id breaks ties, so equal keys keep a stable order across pages.
    order.append(_TASKS.c.id.desc() if shape.sort[0][1] else _TASKS.c.id.asc())
    return order


# Totals up to this many matches are exact; past it PostgreSQL reports the planner's estimate
# (docs/adr/0003): an exact count(*) walked every match and dominated large listings.
EXACT_TOTAL_UP_TO = 1000


@dataclass(frozen=True, kw_only=True)
class Total:
    value: int
    exact: bool


def _tag_names(task_id: Any, *, postgres: bool) -> Any:
    """The task's tag names as a column of the page query, so the page is one statement."""
    if postgres:
        names: Any = func.array_agg(aggregate_order_by(_TAGS.c.name, _TAGS.c.name_key))
    else:
        # SQLite 3.40 has no ORDER BY inside an aggregate: _names sorts (name_key = lower(name)).
        names = func.json_group_array(_TAGS.c.name, type_=JSON)
    return (
        select(names)
        .select_from(_TAGGED)
        .where(_TASK_TAGS.c.task_id == task_id)
        .scalar_subquery()
        .label("tags")
    )


def _names(value: list[str] | None, *, postgres: bool) -> list[str]:
    if not value:
        return []  # PostgreSQL's array_agg of no rows is NULL
    return value if postgres else sorted(value, key=str.lower)


@dataclass(frozen=True, kw_only=True)
class _Statements:
    page: Select[Any]
    count: Select[Any]  # the matches, at most EXACT_TOTAL_UP_TO + 1 on PostgreSQL
    matches: Select[Any]  # unbounded: what the planner's estimate is asked about


@lru_cache(maxsize=512)
def _statements(shape: _Shape) -> _Statements:
    where = _filters(shape)
    matches: Select[Any] = select(literal_column("1")).select_from(_TASKS).where(*where)
    bounded = matches.limit(EXACT_TOTAL_UP_TO + 1) if shape.postgres else matches
    count: Select[Any] = select(func.count()).select_from(bounded.subquery())
    # An uncorrelated subquery: PostgreSQL and SQLite compute it once per statement.
    total = count.scalar_subquery().label("total")
    order = _order_by(shape)
    position = func.row_number().over(order_by=order).label("position")
    paged = (*_COLUMNS, total, position)
    rows = (
        select(*paged)
        .where(*where)
        .order_by(*order)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery("page")
    )
    # The tag names are taken outside the paged subquery: in its select list they would be
    # computed for every row OFFSET skips too.
    columns = (
        *(rows.c[column.name] for column in _COLUMNS),
        _tag_names(rows.c.id, postgres=shape.postgres),
        rows.c.total,
    )
    page = select(*columns).order_by(rows.c.position)
    return _Statements(page=page, count=count, matches=matches)


def _total(
    session: Session,
    statements: _Statements,
    params: dict[str, Any],
    query: TaskQuery,
    page_size: int,
    counted: int | None,
    *,
    postgres: bool,
) -> Total:
    """`counted` is the page query's own count, None when the page is empty."""
    if page_size < query.limit and (page_size or not query.offset):
        return Total(value=query.offset + page_size, exact=True)  # this page ends the results
    if counted is None:  # a page past the end: no row carried the count
        counted = session.connection().execute(statements.count, params).scalar_one()
    if counted <= EXACT_TOTAL_UP_TO or not postgres:
        return Total(value=counted, exact=True)
    planned = _planned_rows(session, statements.matches, params)
    return Total(value=max(EXACT_TOTAL_UP_TO + 1, planned), exact=False)


def _planned_rows(session: Session, matches: Select[Any], params: dict[str, Any]) -> int:
    compiled = matches.params(params).compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    plan = session.connection().exec_driver_sql(
        f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params
    )
    return int(plan.scalar_one()[0]["Plan"]["Plan Rows"])


def list_tasks(
    *,
    session: Session,
    user_id: uuid.UUID,
    query: TaskQuery,
    now: datetime,
    due_after: datetime | None = None,
    due_before: datetime | None = None,
) -> tuple[list[dict[str, Any]], Total]:
    """A page of the user's tasks as plain dicts, their tag names included, then the total.

    One statement: Core (no identity map or instances for rows that are only read and
    serialised), the tag names and the bounded count as subqueries of the page query."""
    postgres = session.get_bind().dialect.name == "postgresql"
    shape, params = _bind(
        query,
        user_id=user_id,
        now=now,
        due_after=due_after,
        due_before=due_before,
        postgres=postgres,
    )
    statements = _statements(shape)
    result = session.connection().execute(statements.page, params)
    keys = list(result.keys())
    rows: list[dict[str, Any]] = []
    counted: int | None = None
    for values in result.tuples():
        row = dict(zip(keys, values, strict=True))
        counted = int(row.pop("total"))
        row["tags"] = _names(row["tags"], postgres=postgres)
        rows.append(row)
    total = _total(session, statements, params, query, len(rows), counted, postgres=postgres)
    return rows, total


def get_next_occurrence(*, session: Session, previous_id: int) -> Task | None:
    """The occurrence the completion of `previous_id` created, deleted or not (it holds the
    unique link either way)."""
    return session.exec(select(Task).where(Task.previous_occurrence_id == previous_id)).first()


def purge_deleted(*, session: Session, deleted_before: datetime) -> int:
    """Removes for good the tasks deleted before the cutoff (no commit); returns how many."""
    stmt = delete(Task).where(col(Task.deleted_at) < deleted_before)
    return session.connection().execute(stmt).rowcount


def lock_due_reminders(*, session: Session, now: datetime, limit: int) -> list[Task]:
    """Unsent reminders due by `now`, oldest first, locked FOR UPDATE SKIP LOCKED on
    PostgreSQL so concurrent checks never take the same row."""
    stmt = (
        select(Task)
        .where(
            col(Task.reminder_sent).is_(False),
            col(Task.completed).is_(False),
            col(Task.deleted_at).is_(None),
            col(Task.remind_at).is_not(None),
            col(Task.remind_at) <= now,
        )
        .order_by(col(Task.remind_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(stmt).all())
