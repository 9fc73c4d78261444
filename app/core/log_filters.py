"""Log filters: no secret in any line, and no flood from a client library during an outage."""

from __future__ import annotations

import logging
import re
import threading
import time

_SECRETS = (
    # ?token=..., &access_token=... in logged URLs (uvicorn logs WebSocket paths)
    (re.compile(r"(?i)([?&](?:token|access_token|ticket)=)[^&\s\"']+"), r"\1[redacted]"),
    (re.compile(r"(?i)(bearer[\s,]+)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),
    # any JWT, wherever it appears
    (re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"), "[redacted-jwt]"),
    # password hashes (a database error's parameters, should one slip through)
    (re.compile(r"\$argon2[a-z]*\$[^\s'\",)]+"), "[redacted-hash]"),
)
# LogRecord's own attributes: everything else on a record came in through `extra=`.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites the message, the `extra` fields and the traceback of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, redact(value))
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class Throttle(logging.Filter):
    """At most one record per `interval` for each message template of the named loggers.

    A client library retrying a lost broker logs the same lines thousands of times a second;
    the first one passes (the outage is reported when it starts), then one per interval with
    the number held back.
    """

    def __init__(self, prefixes: tuple[str, ...], interval: float = 30.0) -> None:
        super().__init__()
        self._prefixes = prefixes
        self._interval = interval
        self._last: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self._prefixes) or record.levelno < logging.WARNING:
            return True
        key = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            last, held = self._last.get(key, (float("-inf"), 0))
            if now - last < self._interval:
                self._last[key] = (last, held + 1)
                return False
            self._last[key] = (now, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this in the last {self._interval:.0f}s)"
        return True
