"""Saved views: named task filters per user, unique by name (any case), at most
VIEWS_PER_USER_MAX each."""

from __future__ import annotations

import json

from sqlmodel import Session

from app.core.db import utcnow
from app.models.named_row import name_key
from app.models.saved_view import (
    VIEWS_PER_USER_MAX,
    SavedView,
    SavedViewCreate,
    SavedViewPublic,
    SavedViewUpdate,
    stored_filters,
)
from app.models.task_query import TaskFilter
from app.models.user import User
from app.repositories import saved_views as views_crud
from app.services.errors import Conflict, NotFound
from app.services.saving import save_unique


def _public(view: SavedView) -> SavedViewPublic:
    return SavedViewPublic.model_validate(
        view, update={"filters": TaskFilter.model_validate(view.filters)}
    )


def _duplicate(name: str) -> Conflict:
    return Conflict(f"a view named {name!r} already exists")


def _commit(session: Session, view: SavedView) -> SavedViewPublic:
    save_unique(session, view, conflict=_duplicate(view.name))
    return _public(view)


def _check_name_free(session: Session, user: User, name: str, view_id: int | None) -> None:
    clash = views_crud.find_by_name(session=session, user_id=user.id, name_key=name_key(name))
    if clash is not None and clash.id != view_id:
        raise _duplicate(name)


def list_views(*, session: Session, user: User) -> list[SavedViewPublic]:
    return [_public(view) for view in views_crud.list_views(session=session, user_id=user.id)]


def create_view(*, session: Session, user: User, data: SavedViewCreate) -> SavedViewPublic:
    if views_crud.count_views(session=session, user_id=user.id) >= VIEWS_PER_USER_MAX:
        raise Conflict(f"at most {VIEWS_PER_USER_MAX} saved views; delete one first")
    _check_name_free(session, user, data.name, None)
    view = SavedView(
        user_id=user.id,
        name=data.name,
        name_key=name_key(data.name),
        filters=json.loads(stored_filters(data.filters)),
    )
    return _commit(session, view)


def _require(session: Session, user: User, view_id: int) -> SavedView:
    view = views_crud.get_view(session=session, user_id=user.id, view_id=view_id)
    if view is None:
        raise NotFound(f"view {view_id} not found")
    return view


def update_view(
    *, session: Session, user: User, view_id: int, data: SavedViewUpdate
) -> SavedViewPublic:
    view = _require(session, user, view_id)
    if data.name is not None:
        _check_name_free(session, user, data.name, view.id)
        view.rename(data.name)
    if data.filters is not None:
        view.filters = json.loads(stored_filters(data.filters))
    view.updated_at = utcnow()
    return _commit(session, view)


def delete_view(*, session: Session, user: User, view_id: int) -> None:
    session.delete(_require(session, user, view_id))
    session.commit()
