from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app
from tests.utils.users import signup

SIGNUP = {"email": "Ann@Example.com", "password": "correct-horse", "name": "Ann"}


def test_signup_returns_token_and_user(client: TestClient) -> None:
    response = client.post("/api/auth/signup", json=SIGNUP)
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["email"] == "ann@example.com"
    assert body["user"]["timezone"] == "UTC"
    assert "password" not in response.text and "password_hash" not in response.text


def test_signup_duplicate_email_any_case_conflicts(client: TestClient) -> None:
    assert client.post("/api/auth/signup", json=SIGNUP).status_code == 201
    again = client.post("/api/auth/signup", json={**SIGNUP, "email": "ANN@example.com"})
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "ann@intranet.local"}, "email"),
        ({"password": "short"}, "password"),
        ({"name": "   "}, "name"),
        ({"timezone": "Nowhere/City"}, "timezone"),
    ],
)
def test_signup_invalid_field_is_named(
    client: TestClient, patch: dict[str, str], field: str
) -> None:
    response = client.post("/api/auth/signup", json={**SIGNUP, **patch})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    assert "correct-horse" not in response.text


def test_signup_accepts_the_testing_domain(client: TestClient) -> None:
    # Schemathesis's stateful phase signs up as <hex>@<hex>.test; the schema says "email".
    response = client.post("/api/auth/signup", json={**SIGNUP, "email": "Ann@Host.test"})
    assert response.status_code == 201, response.text
    assert response.json()["user"]["email"] == "ann@host.test"


def test_login_returns_token(client: TestClient) -> None:
    client.post("/api/auth/signup", json=SIGNUP)
    response = client.post(
        "/api/auth/login", json={"email": "ann@example.com", "password": "correct-horse"}
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["email"] == "ann@example.com"


def test_login_wrong_password_and_unknown_email_look_the_same(client: TestClient) -> None:
    client.post("/api/auth/signup", json=SIGNUP)
    wrong = client.post(
        "/api/auth/login", json={"email": "ann@example.com", "password": "nope-nope"}
    )
    unknown = client.post(
        "/api/auth/login", json={"email": "bob@example.com", "password": "nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


@pytest.mark.parametrize(
    "email", ["x@c.test", "user@localhost", "not an email", "ANN@EXAMPLE.COM "]
)
def test_login_any_unknown_email_string_is_401_like_a_wrong_password(
    client: TestClient, email: str
) -> None:
    # The schema says "string": every string it admits gets the credentials answer, never a 422.
    client.post("/api/auth/signup", json=SIGNUP)
    response = client.post("/api/auth/login", json={"email": email, "password": "nope-nope"})
    assert response.status_code == 401, response.text
    login_schema = client.get("/openapi.json").json()["components"]["schemas"]["UserLogin"]
    assert "format" not in login_schema["properties"]["email"]


def test_login_locks_account_after_repeated_failures(
    client: TestClient, settings: Settings
) -> None:
    client.post("/api/auth/signup", json=SIGNUP)
    bad = {"email": "ann@example.com", "password": "wrong-password"}
    for _ in range(settings.login_max_failures):
        assert client.post("/api/auth/login", json=bad).status_code == 401
    locked = client.post("/api/auth/login", json={**bad, "password": "correct-horse"})
    # Locked, and answered exactly like a wrong password (issue 16: no account oracle).
    assert locked.status_code == 401
    assert locked.json() == client.post("/api/auth/login", json=bad).json()


def test_expired_token_is_rejected(settings: Settings) -> None:
    expired = settings.model_copy(update={"access_token_expire_minutes": -1})
    with TestClient(create_app(expired)) as client:
        user = signup(client)
        assert client.get("/api/auth/me", headers=user.headers).status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not.a.jwt", "Basic abc"])
def test_me_without_valid_token_is_unauthorized(client: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401


def test_token_signed_with_other_secret_is_rejected(client: TestClient, settings: Settings) -> None:
    user = signup(client)
    other = settings.model_copy(update={"jwt_secret": "another-secret-also-long-enough-0123456789"})
    with TestClient(create_app(other)) as other_client:
        assert other_client.get("/api/auth/me", headers=user.headers).status_code == 401


def test_settings_reject_placeholder_secret_outside_local() -> None:
    with pytest.raises(ValueError, match="JWT_SECRET"):
        Settings(environment="production")
