"""Password hashing and access tokens: pure functions, no I/O."""

from __future__ import annotations

import threading
import uuid
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


def create_access_token(
    user_id: uuid.UUID, *, secret: str, algorithm: str, expires_minutes: int
) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(minutes=expires_minutes)}
    return jwt.encode(claims, secret, algorithm=algorithm)


def decode_access_token(token: str, *, secret: str, algorithm: str) -> uuid.UUID | None:
    """Returns the user id of a valid, unexpired token, else None."""
    try:
        claims = jwt.decode(token, secret, algorithms=[algorithm], options={"require": ["exp"]})
        return uuid.UUID(str(claims["sub"]))
    except (jwt.PyJWTError, KeyError, ValueError):
        return None
