"""Password hashing: OWASP's Argon2id parameters, and a bound on hashes in flight."""

from __future__ import annotations

import threading
import time
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
