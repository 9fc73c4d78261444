"""SQL for user_session: the refresh tokens' rows, and the users' token epoch."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col

from app.models.session import UserSession
from app.models.user import User


def add_session(*, session: Session, row: UserSession) -> None:
    session.add(row)
    session.commit()


def get_session(*, session: Session, session_id: uuid.UUID) -> UserSession | None:
    return session.get(UserSession, session_id)


def rotate_session(
    *,
    session: Session,
    session_id: uuid.UUID,
    old_hash: str,
    new_hash: str,
    now: datetime,
    expires_at: datetime,
) -> bool:
    """Swaps the hash only if it is still `old_hash` (one UPDATE): of two refreshes with the
    same token, exactly one wins; the other sees False and is treated as a reuse."""
    result = session.execute(
        update(UserSession)
        .where(
            col(UserSession.id) == session_id,
            col(UserSession.token_hash) == old_hash,
            col(UserSession.revoked_at).is_(None),
        )
        .values(token_hash=new_hash, last_used_at=now, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


def revoke_session(*, session: Session, session_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(UserSession)
        .where(col(UserSession.id) == session_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def revoke_all_sessions(*, session: Session, user_id: uuid.UUID, now: datetime) -> None:
    """Revokes every session of the user and raises the token epoch, in one transaction.

    The epoch goes up through the ORM, so the change is a flush of a dirty User: the
    process's user cache forgets the user at once (app/api/user_cache.py).
    """
    session.execute(
        update(UserSession)
        .where(col(UserSession.user_id) == user_id, col(UserSession.revoked_at).is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    user = session.get(User, user_id, with_for_update=True)
    if user is not None:
        user.token_epoch += 1
        session.add(user)
    session.commit()


def prune_sessions(*, session: Session, user_id: uuid.UUID, now: datetime) -> None:
    """Drops the user's expired and revoked rows (called at log-in, so no table grows)."""
    session.execute(
        delete(UserSession)
        .where(
            col(UserSession.user_id) == user_id,
            or_(col(UserSession.expires_at) < now, col(UserSession.revoked_at).is_not(None)),
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
