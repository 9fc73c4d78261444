"""Browser sessions: the refresh cookie, its rotation and reuse detection, log out, and log
out everywhere (which also refuses the access tokens issued before it)."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from app.api.routes.auth import CSRF_HEADER, REFRESH_COOKIE
from app.core.config import Settings
from app.core.security import hash_refresh_secret, parse_refresh_token
from app.main import create_app
from app.models.session import UserSession
from app.services.sessions import NO_SESSION, REUSED, SESSION_ENDED
from tests.utils.users import AuthedUser, signup

PASSWORD = "correct-horse"
SAME_ORIGIN = {CSRF_HEADER: "taskflow"}


def _cookie_of(response_headers: list[str]) -> SimpleCookie:
    [header] = [h for h in response_headers if h.startswith(f"{REFRESH_COOKIE}=")]
    cookie = SimpleCookie()
    cookie.load(header)
    return cookie


def _login(client: TestClient, user: AuthedUser) -> tuple[str, str]:
    """A new session: (access token, refresh token)."""
    client.cookies.clear()
    response = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"], response.cookies[REFRESH_COOKIE]


def _refresh(client: TestClient, cookie: str | None, **headers: str) -> tuple[int, dict[str, Any]]:
    """Calls refresh with exactly this cookie (none from the client's jar)."""
    client.cookies.clear()
    sent = {**SAME_ORIGIN, **headers}
    if cookie is not None:
        sent["Cookie"] = f"{REFRESH_COOKIE}={cookie}"
    response = client.post("/api/auth/refresh", headers=sent)
    body: dict[str, Any] = response.json()
    if response.status_code == 200:
        body["refresh"] = response.cookies[REFRESH_COOKIE]
    return response.status_code, body


def _me(client: TestClient, token: str) -> int:
    return client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_login_sets_an_httponly_strict_cookie_on_the_auth_path(client: TestClient) -> None:
    user = signup(client)
    response = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    morsel = _cookie_of(response.headers.get_list("set-cookie"))[REFRESH_COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "strict"
    assert morsel["path"] == "/api/auth"
    assert not morsel["secure"]  # plain http in local development
    assert 14 * 24 * 3600 - 60 <= int(morsel["max-age"]) <= 14 * 24 * 3600  # the idle timeout
    # Only the cookie carries it: the body has the access token and the user, nothing else.
    assert set(response.json()) == {"access_token", "token_type", "user"}
    assert morsel.value not in response.text


def test_cookie_is_secure_over_https_and_outside_local(app: FastAPI, settings: Settings) -> None:
    with TestClient(app, base_url="https://testserver") as https:
        response = https.post("/api/auth/signup", json=_signup_body())
        assert _cookie_of(response.headers.get_list("set-cookie"))[REFRESH_COOKIE]["secure"]
    staging = settings.model_copy(update={"environment": "staging"})
    with TestClient(create_app(staging)) as plain_http:
        response = plain_http.post("/api/auth/signup", json=_signup_body())
        assert _cookie_of(response.headers.get_list("set-cookie"))[REFRESH_COOKIE]["secure"]


def _signup_body() -> dict[str, str]:
    email = f"cookie-{uuid.uuid4().hex[:8]}@example.com"
    return {"email": email, "password": PASSWORD, "name": "Cookie", "timezone": "UTC"}


def test_refresh_returns_a_working_token_and_rotates_the_cookie(client: TestClient) -> None:
    user = signup(client)
    _, first = _login(client, user)
    status, body = _refresh(client, first)
    assert status == 200
    assert body["user"]["id"] == str(user.id)
    assert _me(client, body["access_token"]) == 200
    assert body["refresh"] != first
    status, again = _refresh(client, body["refresh"])
    assert status == 200 and again["refresh"] != body["refresh"]


def test_reused_refresh_token_ends_the_whole_session(client: TestClient) -> None:
    user = signup(client)
    _, stolen = _login(client, user)
    status, body = _refresh(client, stolen)  # the owner refreshes: `stolen` is now old
    assert status == 200
    status, reused = _refresh(client, stolen)
    assert (status, reused["detail"]) == (401, REUSED)
    # The owner's current token is dead too: the session family has ended.
    status, after = _refresh(client, body["refresh"])
    assert (status, after["detail"]) == (401, SESSION_ENDED)


def test_reuse_ends_only_that_session(client: TestClient) -> None:
    user = signup(client)
    _, stolen = _login(client, user)
    _, other = _login(client, user)
    _refresh(client, stolen)
    assert _refresh(client, stolen)[0] == 401
    assert _refresh(client, other)[0] == 200


def test_refresh_without_the_csrf_header_is_refused(client: TestClient) -> None:
    user = signup(client)
    _, cookie = _login(client, user)
    client.cookies.clear()
    response = client.post("/api/auth/refresh", headers={"Cookie": f"{REFRESH_COOKIE}={cookie}"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == CSRF_HEADER
    # The refused call used nothing up: the cookie still works.
    assert _refresh(client, cookie)[0] == 200


def test_refresh_without_a_cookie_says_so(client: TestClient) -> None:
    status, body = _refresh(client, None)
    assert (status, body["detail"]) == (401, NO_SESSION)


@pytest.mark.parametrize(
    "cookie",
    [
        "garbage",
        "a.b",
        ".",
        f"{uuid.uuid4().hex}.secret",
        f"{uuid.uuid4().hex}.{'x' * 5000}",
        f"{'f' * 32}.{'y' * 43}",
        "%E2%98%83.%00",
        "not-hex-at-all-0123456789abcdef.secret",
    ],
)
def test_garbage_cookie_is_a_clear_401(client: TestClient, cookie: str) -> None:
    status, body = _refresh(client, cookie)
    assert (status, body["detail"]) == (401, SESSION_ENDED)


def _row(session: Session, cookie: str) -> UserSession:
    """The cookie's session row."""
    parsed = parse_refresh_token(cookie)
    assert parsed is not None
    row = session.get(UserSession, parsed.session_id)
    assert row is not None
    return row


def test_expired_session_is_a_clear_401(client: TestClient, engine: Engine) -> None:
    user = signup(client)
    _, cookie = _login(client, user)
    with Session(engine) as session:
        row = _row(session, cookie)
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(row)
        session.commit()
    status, body = _refresh(client, cookie)
    assert (status, body["detail"]) == (401, SESSION_ENDED)


def test_refresh_keeps_no_secret_in_the_table(client: TestClient, engine: Engine) -> None:
    user = signup(client)
    _, cookie = _login(client, user)
    secret = cookie.rsplit(".", 1)[-1]
    with Session(engine) as session:
        row = _row(session, cookie)
        assert row.token_hash == hash_refresh_secret(secret) != secret
        assert row.user_id == user.id and row.revoked_at is None


def test_logout_ends_the_session_and_clears_the_cookie(client: TestClient) -> None:
    user = signup(client)
    _, cookie = _login(client, user)
    client.cookies.clear()
    response = client.post(
        "/api/auth/logout", headers={**SAME_ORIGIN, "Cookie": f"{REFRESH_COOKIE}={cookie}"}
    )
    assert response.status_code == 204 and response.content == b""
    cleared = _cookie_of(response.headers.get_list("set-cookie"))[REFRESH_COOKIE]
    assert cleared.value == "" and int(cleared["max-age"]) == 0
    assert cleared["path"] == "/api/auth"
    assert _refresh(client, cookie)[0] == 401


@pytest.mark.parametrize("cookie", [None, "garbage", f"{uuid.uuid4().hex}.secret"])
def test_logout_without_a_live_session_is_still_204(client: TestClient, cookie: str | None) -> None:
    client.cookies.clear()
    headers = {**SAME_ORIGIN, **({"Cookie": f"{REFRESH_COOKIE}={cookie}"} if cookie else {})}
    assert client.post("/api/auth/logout", headers=headers).status_code == 204


def test_logout_with_an_old_token_does_not_end_the_session(client: TestClient) -> None:
    user = signup(client)
    _, old = _login(client, user)
    _, body = _refresh(client, old)
    client.cookies.clear()
    client.post("/api/auth/logout", headers={**SAME_ORIGIN, "Cookie": f"{REFRESH_COOKIE}={old}"})
    assert _refresh(client, body["refresh"])[0] == 200


def test_logout_all_ends_every_session_and_every_access_token(client: TestClient) -> None:
    user = signup(client)
    here_access, here_refresh = _login(client, user)
    there_access, there_refresh = _login(client, user)
    assert _me(client, there_access) == 200
    response = client.post(
        "/api/auth/logout-all", headers={"Authorization": f"Bearer {here_access}"}
    )
    assert response.status_code == 204 and response.content == b""
    cleared = _cookie_of(response.headers.get_list("set-cookie"))[REFRESH_COOKIE]
    assert cleared.value == "" and int(cleared["max-age"]) == 0
    for token in (here_access, there_access, user.token):
        assert _me(client, token) == 401
    for cookie in (here_refresh, there_refresh):
        assert _refresh(client, cookie)[0] == 401
    # Logging in again works, with a token of the new epoch.
    access, cookie = _login(client, user)
    assert _me(client, access) == 200
    assert _refresh(client, cookie)[0] == 200


def test_logout_all_needs_an_access_token(client: TestClient) -> None:
    assert client.post("/api/auth/logout-all").status_code == 401


def test_logout_all_refuses_the_live_socket_of_an_old_token(client: TestClient) -> None:
    user = signup(client)
    client.post("/api/auth/logout-all", headers=user.headers)
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(
            f"/api/{user.id}/updates", subprotocols=["bearer", user.token]
        ) as socket,
    ):
        socket.receive_json()


def test_logout_all_closes_the_users_open_sockets(client: TestClient) -> None:
    user = signup(client)
    with client.websocket_connect(
        f"/api/{user.id}/updates", subprotocols=["bearer", user.token]
    ) as socket:
        client.post("/api/auth/logout-all", headers=user.headers)
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 1008


def test_token_without_an_epoch_claim_still_works(client: TestClient, settings: Settings) -> None:
    # Tokens issued before epochs existed carry none; they count as epoch 0.
    user = signup(client)
    claims = {"sub": str(user.id), "exp": datetime.now(UTC) + timedelta(minutes=5)}
    old = jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)
    assert _me(client, old) == 200
    client.post("/api/auth/logout-all", headers=user.headers)
    assert _me(client, old) == 401


def test_another_replica_sees_a_token_newer_than_its_cached_user(settings: Settings) -> None:
    # Each app is a replica with its own user cache over the same database.
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        user = signup(one)
        assert _me(two, user.token) == 200  # `two` caches the user at epoch 0
        one.post("/api/auth/logout-all", headers=user.headers)
        access, _ = _login(one, user)  # epoch 1
        assert _me(two, access) == 200  # newer than the cache: read afresh, not refused


def test_no_refresh_token_or_hash_in_any_log_record(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    user = signup(client)
    access, first = _login(client, user)
    _, body = _refresh(client, first)
    _refresh(client, first)  # reuse: logged as a warning, by ids only
    _refresh(client, "garbage")
    client.post("/api/auth/logout-all", headers={"Authorization": f"Bearer {access}"})
    assert any("reused" in r.getMessage() for r in caplog.records)
    secrets = []
    for cookie in (first, body["refresh"]):
        parsed = parse_refresh_token(cookie)
        assert parsed is not None
        secrets += [parsed.secret, hash_refresh_secret(parsed.secret)]
    secrets += [access, body["access_token"]]
    lines = [f"{r.getMessage()} {r.__dict__}" for r in caplog.records]
    assert not [line for line in lines for secret in secrets if secret in line]
