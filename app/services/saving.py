"""Saving a row that a unique constraint guards."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from app.services.errors import Conflict


def save_unique(session: Session, row: SQLModel, *, conflict: Conflict) -> None:
    """Adds and commits `row`, then refreshes it. The caller has checked the unique value is
    free; a concurrent request that took it in between loses to the constraint, and gets
    `conflict` instead of a 500."""
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise conflict from None
    session.refresh(row)
