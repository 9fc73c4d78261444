"""Structured JSON logs, one object per line, carrying the request's correlation id."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import IO

from pythonjsonlogger.json import JsonFormatter

from app.core.log_filters import RedactSecrets, Throttle
from app.core.log_format import HumanFormatter, log_format
from app.core.tracing import current_trace_id

# Client libraries that log every retry of a lost connection (thousands of lines a second).
NOISY_LOGGERS = ("aiokafka", "kafka")

correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        if not getattr(record, "correlation_id", None):
            record.correlation_id = correlation_id_var.get()
        if not getattr(record, "trace_id", None):
            record.trace_id = current_trace_id()
        return True


class _StdoutHandler(logging.StreamHandler[IO[str]]):
    """Writes to `sys.stdout` as it is at each record, not as it was at set-up: whoever swaps
    stdout and later closes the replacement (a test runner's capture) leaves no handler
    writing to a closed file ("--- Logging error ---" on every line after)."""

    @property
    def stream(self) -> IO[str]:
        return sys.stdout

    @stream.setter
    def stream(self, _value: IO[str]) -> None:
        pass  # StreamHandler's __init__ sets it


def configure_logging(service: str, level: str = "INFO", stream: IO[str] | None = None) -> None:
    handler = logging.StreamHandler(stream) if stream is not None else _StdoutHandler()
    handler.setFormatter(
        HumanFormatter()
        if log_format() == "text"
        else JsonFormatter(
            "{levelname}{service}{message}{correlation_id}{trace_id}",
            style="{",
            rename_fields={"levelname": "level"},
            timestamp="time",
        )
    )
    handler.addFilter(_ContextFilter(service))
    handler.addFilter(Throttle(NOISY_LOGGERS))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
