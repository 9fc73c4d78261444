"""Readable log lines for a person at a terminal (`./scripts/serve`); JSON stays the default.

LOG_FORMAT=text picks them; unset or anything else means JSON, one object per line, which is
what log collectors expect (containers, CI, pipes).
"""

from __future__ import annotations

import logging
import os
from typing import Literal

LogFormat = Literal["json", "text"]


def log_format() -> LogFormat:
    return "text" if os.environ.get("LOG_FORMAT", "").strip().lower() == "text" else "json"


class HumanFormatter(logging.Formatter):
    """`15:02:11 INFO  uvicorn.error: Application startup complete.` and the correlation id."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-5s %(name)s: %(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        correlation_id = getattr(record, "correlation_id", None)
        return f"{line} [{correlation_id}]" if correlation_id else line
