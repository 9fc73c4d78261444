"""SQL for the saved_views table; every statement is scoped to one user."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models.saved_view import SavedView


def list_views(*, session: Session, user_id: uuid.UUID) -> list[SavedView]:
    stmt = (
        select(SavedView)
        .where(SavedView.user_id == user_id)
        .order_by(col(SavedView.name_key), col(SavedView.id))
    )
    return list(session.exec(stmt).all())


def count_views(*, session: Session, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(SavedView).where(SavedView.user_id == user_id)
    return int(session.exec(stmt).one())


def get_view(*, session: Session, user_id: uuid.UUID, view_id: int) -> SavedView | None:
    view = session.get(SavedView, view_id)
    return view if view is not None and view.user_id == user_id else None


def find_by_name(*, session: Session, user_id: uuid.UUID, name_key: str) -> SavedView | None:
    stmt = select(SavedView).where(SavedView.user_id == user_id, SavedView.name_key == name_key)
    return session.exec(stmt).first()
