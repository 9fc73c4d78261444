"""Browser sessions: a refresh token per log-in, rotated on every use, revocable.

The access token stays a short bearer JWT for every client; a browser also gets a refresh
token (the API sets it as an HttpOnly cookie) to get a new access token on load, in a new
tab, or after a 401. Each refresh swaps the token for a new one; presenting a swapped-out
one means two holders (a copy was stolen), so the whole session ends (OWASP's refresh token
rotation with reuse detection). "Log out everywhere" ends every session and raises the
user's token epoch, which refuses every access token issued before.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.core.config import Settings
from app.core.db import utcnow
from app.core.security import (
    RefreshToken,
    create_access_token,
    hash_refresh_secret,
    new_refresh_secret,
    parse_refresh_token,
    same_hash,
)
from app.models.session import UserSession
from app.models.user import Token, User, UserPublic
from app.repositories.sessions import (
    add_session,
    get_session,
    prune_sessions,
    revoke_all_sessions,
    revoke_session,
    rotate_session,
)
from app.repositories.users import get_user
from app.services.errors import Unauthorized

logger = logging.getLogger(__name__)

# A session unused this long ends (idle timeout); none outlives ABSOLUTE_LIFETIME.
IDLE_LIFETIME = timedelta(days=14)
ABSOLUTE_LIFETIME = timedelta(days=90)
NO_SESSION = "no session cookie; log in"
SESSION_ENDED = "your session has ended; log in again"
REUSED = "this session's refresh token was used twice, so the session was ended; log in again"


@dataclass(frozen=True, kw_only=True)
class Grant:
    """What a log-in or a refresh hands out: the access token (body) and, for the cookie,
    the refresh token and when it expires."""

    token: Token
    refresh_token: str
    refresh_expires_at: datetime


def access_token(user: User, settings: Settings) -> Token:
    access = create_access_token(
        user.id,
        secret=settings.jwt_secret,
        algorithm=settings.jwt_algorithm,
        expires_minutes=settings.access_token_expire_minutes,
        epoch=user.token_epoch,
    )
    return Token(access_token=access, user=UserPublic.model_validate(user))


def _expiry(created_at: datetime, now: datetime) -> datetime:
    return min(now + IDLE_LIFETIME, created_at + ABSOLUTE_LIFETIME)


def start(*, session: Session, settings: Settings, user: User) -> Grant:
    """A new session for a user who has just proven who they are (sign-up, log-in)."""
    now = utcnow()
    token = access_token(user, settings)  # before a commit expires the user's attributes
    prune_sessions(session=session, user_id=user.id, now=now)
    secret, expires_at = new_refresh_secret(), _expiry(now, now)
    row = UserSession(
        user_id=user.id,
        token_hash=hash_refresh_secret(secret),
        created_at=now,
        last_used_at=now,
        expires_at=expires_at,
    )
    session_id = row.id
    add_session(session=session, row=row)
    return Grant(
        token=token,
        refresh_token=str(RefreshToken(session_id=session_id, secret=secret)),
        refresh_expires_at=expires_at,
    )


def refresh(*, session: Session, settings: Settings, presented: str | None) -> Grant:
    """A new access token and the next refresh token, for the current one."""
    if not presented:
        raise Unauthorized(NO_SESSION)
    parsed = parse_refresh_token(presented)
    row = None if parsed is None else get_session(session=session, session_id=parsed.session_id)
    now = utcnow()
    if parsed is None or row is None or row.revoked_at is not None or row.expires_at <= now:
        raise Unauthorized(SESSION_ENDED)
    if not same_hash(row.token_hash, hash_refresh_secret(parsed.secret)):
        _end_reused(session=session, row=row, now=now)
    user = get_user(session=session, user_id=row.user_id)
    if user is None:
        raise Unauthorized(SESSION_ENDED)
    token = access_token(user, settings)
    secret = new_refresh_secret()
    expires_at = _expiry(row.created_at, now)
    rotated = rotate_session(
        session=session,
        session_id=row.id,
        old_hash=row.token_hash,
        new_hash=hash_refresh_secret(secret),
        now=now,
        expires_at=expires_at,
    )
    if not rotated:
        # Another refresh with the same token won the swap a moment ago: a second holder.
        _end_reused(session=session, row=row, now=now)
    return Grant(
        token=token,
        refresh_token=str(RefreshToken(session_id=parsed.session_id, secret=secret)),
        refresh_expires_at=expires_at,
    )


def _end_reused(*, session: Session, row: UserSession, now: datetime) -> None:
    revoke_session(session=session, session_id=row.id, now=now)
    # Ids only: the token, its hash and the secret never reach a log line.
    logger.warning(
        "refresh token reused; session revoked",
        extra={"session_id": str(row.id), "user_id": str(row.user_id)},
    )
    raise Unauthorized(REUSED)


def end(*, session: Session, presented: str | None) -> None:
    """Log out: ends the session the refresh token belongs to, if it is a valid one."""
    parsed = None if not presented else parse_refresh_token(presented)
    if parsed is None:
        return
    row = get_session(session=session, session_id=parsed.session_id)
    # Only the holder of the current secret may end the session (an old id is no licence).
    if row is not None and same_hash(row.token_hash, hash_refresh_secret(parsed.secret)):
        revoke_session(session=session, session_id=row.id, now=utcnow())


def end_all(*, session: Session, user: User) -> None:
    """Log out everywhere: every session, and every access token issued until now."""
    revoke_all_sessions(session=session, user_id=user.id, now=utcnow())
