"""The default log handler follows sys.stdout instead of keeping the stream it first saw."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from app.core.logging import configure_logging


def test_logs_go_to_stdout_as_it_is_now_not_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    first, now = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", first)
    configure_logging("api", "INFO")
    first.close()  # a test runner's capture, closed after its test
    monkeypatch.setattr(sys, "stdout", now)
    try:
        logging.getLogger("taskflow.test").warning("after the swap")
    finally:
        logging.getLogger().handlers.clear()
    assert '"message": "after the swap"' in now.getvalue()
