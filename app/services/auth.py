"""Sign-up and log-in, with a per-account lockout after repeated failures."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.core.config import Settings
from app.core.db import utcnow
from app.core.security import hash_password, verify_password
from app.models.user import User, UserCreate, UserLogin, UserPublic, UserUpdate
from app.repositories.users import get_user_by_email, record_failed_login
from app.services import sessions
from app.services.errors import Conflict, Unauthorized
from app.services.saving import save_unique
from app.services.sessions import Grant

# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = hash_password("not-a-real-password")
BAD_CREDENTIALS = "incorrect email or password"


def signup(*, session: Session, settings: Settings, data: UserCreate) -> Grant:
    if get_user_by_email(session=session, email=data.email) is not None:
        raise Conflict("an account with this email already exists")
    user = User(
        email=data.email,
        name=data.name,
        timezone=data.timezone,
        password_hash=hash_password(data.password),
    )
    save_unique(session, user, conflict=Conflict("an account with this email already exists"))
    return sessions.start(session=session, settings=settings, user=user)


def login(*, session: Session, settings: Settings, data: UserLogin) -> Grant:
    """A locked account answers exactly like a wrong password (same status, body and work),
    so the answer tells a stranger neither that the account exists nor that it is locked."""
    user = get_user_by_email(session=session, email=data.email)
    if user is None:
        verify_password(data.password, _DUMMY_HASH)
        raise Unauthorized(BAD_CREDENTIALS)
    now = utcnow()
    locked = user.locked_until is not None and user.locked_until > now
    if not verify_password(data.password, user.password_hash):
        record_failed_login(
            session=session,
            user_id=user.id,
            max_failures=settings.login_max_failures,
            lock_until=now + timedelta(seconds=settings.login_lockout_seconds),
        )
        raise Unauthorized(BAD_CREDENTIALS)
    if locked:
        raise Unauthorized(BAD_CREDENTIALS)
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
        session.add(user)
        session.commit()
    return sessions.start(session=session, settings=settings, user=user)


def update_profile(*, session: Session, user: User, data: UserUpdate) -> UserPublic:
    for name, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(user, name, value.strip() if name == "name" else value)
    session.add(user)
    session.commit()
    session.refresh(user)
    return UserPublic.model_validate(user)
