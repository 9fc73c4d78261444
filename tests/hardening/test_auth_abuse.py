"""Password guessing, sign-up floods, missing security headers, the reminder-check trigger.

The parallel attacks go through a real uvicorn server, so requests race as they would in
production (the in-process TestClient serialises them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.config import Settings
from tests.conftest import make_settings
from tests.utils.live_server import LiveServer
from tests.utils.users import signup

PASSWORD = "correct-horse"
# Per-address throttles would hide the per-account counter: these tests lift them.
NO_THROTTLE = {"auth_rate_limit": "10000/minute"}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, **NO_THROTTLE)


@pytest.fixture
def live(app: FastAPI) -> Iterator[str]:
    server = LiveServer(app)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def _login(url: str, email: str, password: str) -> httpx.Response:
    # Generous: 30 parallel Argon2 checks take a while on a busy machine.
    return httpx.post(
        f"{url}/api/auth/login", json={"email": email, "password": password}, timeout=300
    )


def _signup(url: str) -> str:
    email = f"victim-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "name": "Victim"}
    assert httpx.post(f"{url}/api/auth/signup", json=body, timeout=60).status_code == 201
    return email


def _shape(response: httpx.Response) -> tuple[int, Any, str | None, str | None]:
    """What a client can tell apart: status, body and the headers that vary by outcome."""
    return (
        response.status_code,
        response.json(),
        response.headers.get("retry-after"),
        response.headers.get("www-authenticate"),
    )


def test_parallel_wrong_passwords_lock_the_account(live: str) -> None:
    email = _signup(live)
    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(lambda i: _login(live, email, f"wrong-{i}"), range(30)))
    assert {a.status_code for a in answers} == {401}
    # Locked now: even the right password is refused.
    assert _login(live, email, PASSWORD).status_code == 401


def test_locked_account_answers_like_a_wrong_password(live: str, settings: Settings) -> None:
    email = _signup(live)
    wrong = _login(live, email, "wrong-password")
    for _ in range(settings.login_max_failures):
        _login(live, email, "wrong-password")
    locked = _login(live, email, PASSWORD)
    unknown = _login(live, "nobody-here@example.com", PASSWORD)
    assert _shape(locked) == _shape(wrong) == _shape(unknown)


class TestThrottling:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return make_settings(database_url, auth_rate_limit="5/minute")

    def test_login_is_throttled_per_client_address(self, client: TestClient) -> None:
        answers = [
            client.post(
                "/api/auth/login", json={"email": f"u{i}@example.com", "password": "whatever1"}
            )
            for i in range(6)
        ]
        assert [a.status_code for a in answers] == [401] * 5 + [429]
        assert int(answers[-1].headers["retry-after"]) > 0

    def test_signup_is_throttled_per_client_address(self, client: TestClient) -> None:
        answers = [
            client.post(
                "/api/auth/signup",
                json={"email": f"flood{i}@example.com", "password": "long-enough-1", "name": "F"},
            )
            for i in range(6)
        ]
        assert [a.status_code for a in answers] == [201] * 5 + [429]


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def test_api_responses_carry_security_headers(client: TestClient) -> None:
    user = signup(client)
    for response in (
        client.get("/api/auth/me", headers=user.headers),
        client.get(user.tasks_url, headers=user.headers),
        client.get("/api/auth/me"),  # errors too
    ):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.url, name)
        assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", "")


class TestReminderCheck:
    TOKEN = "dapr-app-api-token-for-the-tests"

    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return make_settings(database_url, app_api_token=self.TOKEN)

    def test_reminder_check_needs_the_app_api_token(self, client: TestClient) -> None:
        assert client.post("/reminder-check").status_code == 401
        wrong = client.post("/reminder-check", headers={"dapr-api-token": "guess"})
        assert wrong.status_code == 401
        right = client.post("/reminder-check", headers={"dapr-api-token": self.TOKEN})
        assert right.status_code == 200 and right.json() == {"fired": 0}


class TestReminderCheckUnconfigured:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return make_settings(database_url, app_api_token=None)

    def test_reminder_check_is_closed_without_a_configured_token(self, client: TestClient) -> None:
        assert client.post("/reminder-check").status_code == 401
        anything = client.post("/reminder-check", headers={"dapr-api-token": ""})
        assert anything.status_code == 401
