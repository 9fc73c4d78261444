"""Schemathesis against the live API: every check, every phase, on both databases.

The OpenAPI document must tell the truth: each status code a route returns is documented,
request schemas accept exactly what the code accepts, 405s name the allowed methods, a
deleted task stays gone, and no input gives a 5xx.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from tests.conftest import make_settings
from tests.utils.live_server import LiveServer

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
# Drops the cases whose only broken part is the pinned user_id (see the module for why).
HOOKS = str(Path(__file__).with_name("schemathesis_hooks.py"))
# Enough cases per operation and phase to find the edges; a fixed seed keeps runs repeatable.
MAX_EXAMPLES = 15
SEED = 16

CONFIG = """\
headers = { Authorization = "Bearer ${ST_TOKEN}" }

[parameters]
"path.user_id" = "${ST_USER_ID}"
"""


@pytest.fixture
def live_api(database_url: str) -> Iterator[str]:
    server = LiveServer(create_app(make_settings(database_url)))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.mark.timeout(900)
def test_api_conforms_to_its_openapi_document(live_api: str, tmp_path: Path) -> None:
    response = httpx.post(
        f"{live_api}/api/auth/signup",
        json={
            "email": "schemathesis@example.com",
            "password": "schemathesis-password",
            "name": "Schemathesis",
            "timezone": "UTC",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = subprocess.run(
        [
            SCHEMATHESIS,
            "--config-file",
            str(config),
            "run",
            f"{live_api}/openapi.json",
            "--checks",
            "all",
            # Log out everywhere would end the run's own token half-way (tested in
            # tests/app/api/routes/test_auth_sessions.py).
            "--exclude-path",
            "/api/auth/logout-all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--workers",
            "1",
            "--no-color",
            "--generation-database",
            "none",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path / "report"),
        ],
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": HOOKS,
            "ST_TOKEN": body["access_token"],
            "ST_USER_ID": body["user"]["id"],
        },
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-3000:]
