"""No password, hash, token or secret in any log line, whatever happens.

The real `taskflow serve` process (its JSON logs and uvicorn's own lines, as production
writes them) runs the whole API flow plus the failing cases: a database error during sign-up,
bad log-ins, WebSocket connects carrying a token, refresh-token rotation, reuse and log-outs. Then every captured line is searched for
every secret the run used.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import websockets

from app.api.routes.auth import REFRESH_COOKIE
from app.core.security import hash_refresh_secret
from tests.chaos.stack import JWT_SECRET, TASKFLOW, Service
from tests.services.kafka import pick_free_ports
from tests.services.postgres import PostgresServer

PASSWORD = "s3cret-Passw0rd-for-the-log-scan"
# Makes the database itself fail an insert, as any database error would, after validation.
FAILING_SIGNUP_TRIGGER = """
CREATE FUNCTION refuse_doomed() RETURNS trigger AS $$
BEGIN
  IF NEW.name = 'doomed' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER refuse_doomed BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_doomed();
"""


@pytest.fixture
def api(postgres_server: PostgresServer, tmp_path: Path) -> Iterator[tuple[Service, str]]:
    url = postgres_server.create_database("taskflow_log_scan")
    port = pick_free_ports(1)[0]
    service = Service(
        name="api",
        argv=[TASKFLOW, "serve", "--port", str(port)],
        env={
            **os.environ,
            "EVENT_TRANSPORT": "inprocess",
            "USE_DAPR": "false",
            "ENVIRONMENT": "local",
            "DATABASE_URL": url,
            "JWT_SECRET": JWT_SECRET,
            "LOG_LEVEL": "DEBUG",
            "AUTH_RATE_LIMIT": "10000/minute",
        },
        port=port,
        log_path=tmp_path / "api.log",
    )
    service.start()  # migrates first
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(FAILING_SIGNUP_TRIGGER)
    try:
        yield service, url
    finally:
        service.stop()


async def _websocket_attempts(base: str, user_id: str, token: str) -> None:
    ws_url = base.replace("http://", "ws://") + f"/api/{user_id}/updates"
    attempts = [
        {"uri": f"{ws_url}?token={token}"},
        {"uri": ws_url, "additional_headers": {"Authorization": f"Bearer {token}"}},
        {"uri": ws_url, "subprotocols": ["bearer", token]},
        {"uri": f"{ws_url}?token={token}x"},  # a bad one: rejected, and logged as such
    ]
    for attempt in attempts:
        with contextlib.suppress(Exception):
            async with websockets.connect(**attempt, open_timeout=5) as socket:  # type: ignore[arg-type]
                await socket.send("ping")


def _flow(base: str) -> tuple[list[str], list[str]]:
    """Runs the API flow; returns (tokens issued, emails used)."""
    tokens: list[str] = []
    emails = ["scan@example.com", "doomed@example.com", "nul@example.com"]
    with httpx.Client(base_url=base, timeout=30) as http:
        body = {"email": emails[0], "password": PASSWORD, "name": "Scan", "timezone": "UTC"}
        signed = http.post("/api/auth/signup", json=body)
        assert signed.status_code == 201, signed.text
        tokens.append(signed.json()["access_token"])
        user_id = signed.json()["user"]["id"]
        logged = http.post("/api/auth/login", json={"email": emails[0], "password": PASSWORD})
        tokens.append(logged.json()["access_token"])
        auth = {"Authorization": f"Bearer {tokens[0]}"}
        tasks = f"/api/{user_id}/tasks"
        task = http.post(tasks, json={"title": "scan", "tags": ["x"]}, headers=auth).json()
        http.patch(f"{tasks}/{task['id']}", json={"title": "renamed"}, headers=auth)
        http.patch(f"{tasks}/{task['id']}/complete", headers=auth)
        http.get(tasks, params={"q": "scan"}, headers=auth)
        http.get(f"/api/{user_id}/activity", headers=auth)
        http.delete(f"{tasks}/{task['id']}", headers=auth)
        http.get(f"/api/{user_id}/tasks?token={tokens[0]}", headers=auth)
        # The failing cases.
        http.post("/api/auth/login", json={"email": emails[0], "password": PASSWORD + "x"})
        http.post("/api/auth/login", json={"email": "nobody@example.com", "password": PASSWORD})
        http.get("/api/auth/me", headers={"Authorization": f"Bearer {tokens[0]}x"})
        # The browser session: refresh (rotates the cookie), a reused refresh token (logged,
        # by ids only), garbage, log out, log out everywhere.
        same_origin = {"X-Requested-With": "taskflow"}
        tokens.append(http.cookies[REFRESH_COOKIE])
        refreshed = http.post("/api/auth/refresh", headers=same_origin)
        tokens += [refreshed.json()["access_token"], http.cookies[REFRESH_COOKIE]]
        for cookie in (tokens[-3], "garbage", tokens[-3] + "x"):
            httpx.post(
                f"{base}/api/auth/refresh",
                headers={**same_origin, "Cookie": f"{REFRESH_COOKIE}={cookie}"},
                timeout=30,
            )
        http.post("/api/auth/logout", headers=same_origin)
        http.post("/api/auth/logout-all", headers={"Authorization": f"Bearer {tokens[-2]}"})
    # A 500 makes uvicorn close its connection: each of these gets a fresh one.
    doomed = httpx.post(
        f"{base}/api/auth/signup", json={**body, "email": emails[1], "name": "doomed"}, timeout=30
    )
    assert doomed.status_code >= 400
    nul = {**body, "email": emails[2], "name": "nul\x00name"}
    assert httpx.post(f"{base}/api/auth/signup", json=nul, timeout=30).status_code == 422
    asyncio.run(_websocket_attempts(base, user_id, tokens[0]))
    return tokens, emails


@pytest.mark.postgres
def test_no_secret_reaches_any_log_line(api: tuple[Service, str]) -> None:
    service, url = api
    tokens, emails = _flow(service.url)
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT password_hash FROM users WHERE email = %s", (emails[0],))
        [password_hash] = row.fetchone() or ("",)
    assert password_hash.startswith("$argon2")
    service.stop()  # flush: everything the process wrote is in the file now
    secrets = {
        "password": PASSWORD,
        "password hash": password_hash,
        "password hash digest": password_hash.rsplit("$", 1)[-1],
        "jwt secret": JWT_SECRET,
        **{f"token {i}": t for i, t in enumerate(tokens)},
        **{f"token {i} signature": t.rsplit(".", 1)[-1] for i, t in enumerate(tokens)},
        # A refresh token's secret is its last part, and the table keeps its SHA-256.
        **{
            f"token {i} hash": hash_refresh_secret(t.rsplit(".", 1)[-1])
            for i, t in enumerate(tokens)
        },
        **{f"email {e}": e for e in emails[1:]},
    }
    lines = service.log_lines()
    assert len(lines) > 20  # the scan saw the flow
    assert any("refresh token reused" in line for line in lines)  # and the session part
    leaks = [
        f"{name}: {line[:300]}"
        for line in lines
        for name, secret in secrets.items()
        if secret in line or re.search(re.escape(secret).replace("@", "(@|%40)"), line)
    ]
    assert not leaks, "\n".join(leaks[:10])
