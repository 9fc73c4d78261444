"""Per-client-address throttling of the unauthenticated entry points (log-in, sign-up).

A moving window per address and route, kept in memory: each replica counts on its own, which
bounds a guesser to (replicas x limit) per window; the per-account lockout bounds the rest.
"""

from __future__ import annotations

import math
import time
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from app.services.errors import TooManyAttempts


class AddressThrottle:
    def __init__(self, limit: str) -> None:
        self.item: RateLimitItem = parse(limit)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, address: str, scope: str) -> None:
        """Counts one attempt; raises TooManyAttempts once the window is full."""
        if self._limiter.hit(self.item, address, scope):
            return
        reset = self._limiter.get_window_stats(self.item, address, scope).reset_time
        raise TooManyAttempts(
            "too many attempts from this address; try again later",
            retry_after_seconds=max(1, math.ceil(reset - time.time())),
        )


def _throttle(request: Request) -> AddressThrottle:
    throttle: AddressThrottle = request.app.state.auth_throttle
    return throttle


async def throttle_auth(
    request: Request, throttle: Annotated[AddressThrottle, Depends(_throttle)]
) -> None:
    address = request.client.host if request.client else "unknown"
    throttle.hit(address, request.url.path)
