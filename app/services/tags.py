"""Per-user tags; names are unique per user regardless of case."""

from __future__ import annotations

from sqlmodel import Session

from app.models.named_row import name_key
from app.models.tag import Tag, TagCreate, TagPublic, TagUpdate
from app.models.user import User
from app.repositories import tags as tags_crud
from app.services.errors import Conflict, NotFound
from app.services.saving import save_unique


def _public(tag: Tag, task_count: int) -> TagPublic:
    return TagPublic.model_validate(tag, update={"task_count": task_count})


def _duplicate(name: str) -> Conflict:
    return Conflict(f"a tag named {name!r} already exists")


def list_tags(*, session: Session, user: User) -> list[TagPublic]:
    return [
        _public(t, n) for t, n in tags_crud.list_tags_with_counts(session=session, user_id=user.id)
    ]


def create_tag(*, session: Session, user: User, data: TagCreate) -> TagPublic:
    if tags_crud.find_tags(session=session, user_id=user.id, names=[data.name]):
        raise _duplicate(data.name)
    tag = Tag(user_id=user.id, name=data.name, name_key=name_key(data.name))
    save_unique(session, tag, conflict=_duplicate(data.name))
    return _public(tag, 0)


def _require(session: Session, user: User, tag_id: int) -> Tag:
    tag = tags_crud.get_tag(session=session, user_id=user.id, tag_id=tag_id)
    if tag is None:
        raise NotFound(f"tag {tag_id} not found")
    return tag


def rename_tag(*, session: Session, user: User, tag_id: int, data: TagUpdate) -> TagPublic:
    tag = _require(session, user, tag_id)
    clash = tags_crud.find_tags(session=session, user_id=user.id, names=[data.name])
    if clash and next(iter(clash.values())).id != tag.id:
        raise _duplicate(data.name)
    tag.rename(data.name)
    session.add(tag)
    session.commit()
    session.refresh(tag)
    assert tag.id is not None
    return _public(tag, tags_crud.count_tasks(session=session, tag_id=tag.id))


def delete_tag(*, session: Session, user: User, tag_id: int) -> None:
    session.delete(_require(session, user, tag_id))
    session.commit()
