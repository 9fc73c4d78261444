"""`taskflow serve --workers N`: refused where more processes would split the embedded bus."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli


def test_more_than_one_worker_is_refused_with_sqlite_and_the_embedded_bus() -> None:
    result = CliRunner().invoke(
        cli,
        ["serve", "--no-migrate"],
        env={"WEB_CONCURRENCY": "2", "DATABASE_URL": "sqlite:///unused.db"},
    )
    assert result.exit_code == 2
    # Rich wraps the message in a box; single words survive the wrapping.
    assert "PostgreSQL" in result.output and "WEB_CONCURRENCY" in result.output


def test_the_relay_service_is_refused_without_postgresql_and_a_broker() -> None:
    # Its own process: the command configures logging for the process before it refuses.
    result = subprocess.run(
        [str(Path(sys.prefix) / "bin" / "taskflow"), "relay"],
        env={**os.environ, "DATABASE_URL": "sqlite:///unused.db", "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr and "taskflow serve" in result.stderr
