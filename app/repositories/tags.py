from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func
from sqlmodel import Session, col, select

from app.models.named_row import name_key
from app.models.tag import Tag, TaskTag
from app.models.task import Task


def _live_task(task_id: Any) -> ColumnElement[bool]:
    # A deleted task (kept for restoring) counts for no tag.
    return and_(col(Task.id) == task_id, col(Task.deleted_at).is_(None))


def list_tags_with_counts(*, session: Session, user_id: uuid.UUID) -> list[tuple[Tag, int]]:
    stmt = (
        select(Tag, func.count(col(Task.id)))
        .outerjoin(TaskTag, col(TaskTag.tag_id) == Tag.id)
        .outerjoin(Task, _live_task(TaskTag.task_id))
        .where(Tag.user_id == user_id)
        .group_by(col(Tag.id))
        .order_by(col(Tag.name_key))
    )
    return [(tag, int(count)) for tag, count in session.exec(stmt).all()]


def count_tasks(*, session: Session, tag_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(TaskTag)
        .join(Task, _live_task(TaskTag.task_id))
        .where(TaskTag.tag_id == tag_id)
    )
    return int(session.exec(stmt).one())


def get_tag(*, session: Session, user_id: uuid.UUID, tag_id: int) -> Tag | None:
    tag = session.get(Tag, tag_id)
    return tag if tag is not None and tag.user_id == user_id else None


def find_tags(*, session: Session, user_id: uuid.UUID, names: Iterable[str]) -> dict[str, Tag]:
    keys = {name_key(name) for name in names}
    if not keys:
        return {}
    stmt = select(Tag).where(Tag.user_id == user_id, col(Tag.name_key).in_(keys))
    return {tag.name_key: tag for tag in session.exec(stmt).all()}


def get_or_create_tags(*, session: Session, user_id: uuid.UUID, names: Sequence[str]) -> list[Tag]:
    existing = find_tags(session=session, user_id=user_id, names=names)
    tags: list[Tag] = []
    for name in names:
        tag = existing.get(name_key(name))
        if tag is None:
            tag = Tag(user_id=user_id, name=name, name_key=name_key(name))
            session.add(tag)
            existing[tag.name_key] = tag
        tags.append(tag)
    session.flush()
    return tags


def tag_names_for_tasks(*, session: Session, task_ids: Sequence[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {task_id: [] for task_id in task_ids}
    if not task_ids:
        return names
    stmt = (
        select(TaskTag.task_id, Tag.name)
        .join(Tag, col(Tag.id) == TaskTag.tag_id)
        .where(col(TaskTag.task_id).in_(task_ids))
        .order_by(col(Tag.name_key))
    )
    for task_id, name in session.exec(stmt).all():
        names[task_id].append(name)
    return names


def set_task_tags(*, session: Session, task_id: int, tags: Sequence[Tag]) -> None:
    current = session.exec(select(TaskTag).where(TaskTag.task_id == task_id)).all()
    wanted = {tag.id for tag in tags}
    for link in current:
        if link.tag_id not in wanted:
            session.delete(link)
    have = {link.tag_id for link in current}
    for tag in tags:
        if tag.id not in have:
            assert tag.id is not None
            session.add(TaskTag(task_id=task_id, tag_id=tag.id))
