"""Password hashing (OWASP's Argon2id parameters, a bound on hashes in flight) and access tokens."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

from app.core import security


def test_new_hashes_use_argon2id_at_19_mib_2_passes_1_lane() -> None:
    encoded = security.hash_password("correct-horse")
    assert encoded.startswith("$argon2id$") and "$m=19456,t=2,p=1$" in encoded
    assert security.verify_password("correct-horse", encoded)
    assert not security.verify_password("wrong-horse", encoded)


def test_hashes_made_with_the_old_defaults_still_verify() -> None:
    legacy = PasswordHasher().hash("correct-horse")  # 64 MiB, 3 passes, 4 lanes
    assert security.verify_password("correct-horse", legacy)


class _CountingHasher:
    """Wraps the real hasher and records how many hashes ran at the same time."""

    def __init__(self, real: PasswordHasher) -> None:
        self._real = real
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0

    def hash(self, password: str) -> str:
        with self._lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            time.sleep(0.02)  # holds the slot long enough for the others to pile up
            return self._real.hash(password)
        finally:
            with self._lock:
                self.in_flight -= 1


def test_ten_parallel_hashes_run_at_most_the_bound_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _CountingHasher(security._hasher)
    monkeypatch.setattr(security, "_hasher", counting)
    with ThreadPoolExecutor(10) as pool:
        list(pool.map(security.hash_password, [f"password-{i}" for i in range(10)]))
    assert counting.peak == security.CONCURRENT_HASHES


SECRET = "s" * 40


def test_a_verified_token_still_expires_on_time(monkeypatch: pytest.MonkeyPatch) -> None:
    user_id = uuid.uuid4()
    token = security.create_access_token(
        user_id, secret=SECRET, algorithm="HS256", expires_minutes=1, epoch=3
    )
    claims = security.decode_access_claims(token, secret=SECRET, algorithm="HS256")
    assert claims is not None and (claims.user_id, claims.epoch) == (user_id, 3)
    # Verified once and remembered: the remembered answer must not outlive the token.
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert security.decode_access_claims(token, secret=SECRET, algorithm="HS256") is None


def test_a_token_is_checked_against_the_secret_it_is_decoded_with() -> None:
    token = security.create_access_token(
        uuid.uuid4(), secret=SECRET, algorithm="HS256", expires_minutes=5
    )
    assert security.decode_access_claims(token, secret=SECRET, algorithm="HS256") is not None
    assert security.decode_access_claims(token, secret="t" * 40, algorithm="HS256") is None
