from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import case, literal, update
from sqlmodel import Session, col, select

from app.core.db import UTCDateTime
from app.models.user import User


def get_user(*, session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.lower())).first()


def record_failed_login(
    *, session: Session, user_id: uuid.UUID, max_failures: int, lock_until: datetime
) -> None:
    """One UPDATE: parallel failures all count, and the one that reaches the limit locks the
    account (and starts the count again). A read-modify-write lost most of 30 parallel ones."""
    reached = col(User.failed_logins) + 1 >= max_failures
    session.execute(
        update(User)
        .where(col(User.id) == user_id)
        .values(
            failed_logins=case((reached, 0), else_=col(User.failed_logins) + 1),
            locked_until=case(
                (reached, literal(lock_until, UTCDateTime())), else_=col(User.locked_until)
            ),
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
