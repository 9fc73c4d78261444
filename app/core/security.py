"""Password hashing, access tokens and refresh-token secrets: pure functions, no I/O."""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Argon2id at OWASP's current minimum (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane.
# argon2-cffi's defaults (64 MiB, 3 passes, 4 lanes) cost a 2-core API far more per sign-up.
# Hashes made with other parameters still verify: the parameters are stored in each hash.
HASH_MEMORY_KIB = 19 * 1024
_hasher = PasswordHasher(time_cost=2, memory_cost=HASH_MEMORY_KIB, parallelism=1)
# Each hash in flight holds its whole memory cost, so bursts of sign-ups and log-ins queue
# here instead of growing the process by 19 MiB per request (2 x 19 MiB at most).
CONCURRENT_HASHES = 2
_hash_slots = threading.BoundedSemaphore(CONCURRENT_HASHES)


def hash_password(password: str) -> str:
    with _hash_slots:
        return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        with _hash_slots:
            return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, kw_only=True)
class AccessClaims:
    user_id: uuid.UUID
    # The user's token epoch when the token was issued; tokens from before "log out
    # everywhere" carry an older one. Tokens issued before epochs existed read as 0.
    epoch: int
    expires_at: float  # the exp claim, seconds since the epoch


def create_access_token(
    user_id: uuid.UUID, *, secret: str, algorithm: str, expires_minutes: int, epoch: int = 0
) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "ep": epoch,
        "iat": now,
        "exp": now + timedelta(minutes=expires_minutes),
    }
    return jwt.encode(claims, secret, algorithm=algorithm)


def decode_access_claims(token: str, *, secret: str, algorithm: str) -> AccessClaims | None:
    """The claims of a valid, unexpired token, else None. A token's signature is checked once
    per process (a client sends the same token with every request); its expiry on every use."""
    claims = _verified_claims(token, secret, algorithm)
    return claims if claims is not None and claims.expires_at > time.time() else None


@functools.lru_cache(maxsize=4096)
def _verified_claims(token: str, secret: str, algorithm: str) -> AccessClaims | None:
    try:
        claims = jwt.decode(token, secret, algorithms=[algorithm], options={"require": ["exp"]})
        epoch = claims.get("ep", 0)
        if not isinstance(epoch, int):
            return None
        return AccessClaims(
            user_id=uuid.UUID(str(claims["sub"])), epoch=epoch, expires_at=float(claims["exp"])
        )
    except (jwt.PyJWTError, KeyError, ValueError):
        return None


# A refresh token is "<session id>.<secret>": the id finds the row, the secret proves
# possession. 32 random bytes need no slow hash (nothing to brute-force), so the row keeps
# a SHA-256 of the secret only; a copy of the table lets nobody refresh.
REFRESH_SECRET_BYTES = 32


@dataclass(frozen=True, kw_only=True)
class RefreshToken:
    session_id: uuid.UUID
    secret: str

    def __str__(self) -> str:
        return f"{self.session_id.hex}.{self.secret}"


def new_refresh_secret() -> str:
    return secrets.token_urlsafe(REFRESH_SECRET_BYTES)


def hash_refresh_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode(), b.encode())


def parse_refresh_token(value: str) -> RefreshToken | None:
    """None for anything that is not the shape issued (garbage, truncation, old formats)."""
    session_hex, dot, secret = value.partition(".")
    if not dot or not secret or len(secret) > 2 * REFRESH_SECRET_BYTES:
        return None
    try:
        return RefreshToken(session_id=uuid.UUID(hex=session_hex), secret=secret)
    except ValueError:
        return None
