"""`taskflow web`: the UI alone, /api forwarded to the API over HTTP and WebSocket."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.main import create_app
from app.web.proxy import create_web_app
from tests.conftest import make_settings
from tests.web.conftest import LiveServer

Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler) -> TestClient:
    return TestClient(create_web_app("http://api.test/", transport=httpx.MockTransport(handler)))


@pytest.fixture
def seen() -> list[httpx.Request]:
    return []


@pytest.fixture
def client(seen: list[httpx.Request]) -> Iterator[TestClient]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/healthz":
            return httpx.Response(200, json={"status": "ok"})
        return httpx.Response(
            201, json={"id": 5}, headers={"X-Total-Count": "7", "X-Correlation-ID": "abc"}
        )

    with _client(handler) as test_client:
        yield test_client


def test_forward_keeps_method_path_query_and_headers_when_api_answers(
    client: TestClient, seen: list[httpx.Request]
) -> None:
    response = client.patch(
        "/api/u-1/tasks/5/complete?priority=P1&priority=P2&q=caf%C3%A9",
        headers={"Authorization": "Bearer t0ken"},
        content=json.dumps({"completed": True}),
    )
    assert response.status_code == 201
    assert response.json() == {"id": 5}
    assert response.headers["x-total-count"] == "7"
    forwarded = seen[-1]
    assert forwarded.method == "PATCH"
    assert forwarded.url.host == "api.test"
    assert forwarded.url.path == "/api/u-1/tasks/5/complete"
    assert forwarded.url.params.get_list("priority") == ["P1", "P2"]
    assert forwarded.url.params["q"] == "café"
    assert forwarded.headers["authorization"] == "Bearer t0ken"
    assert json.loads(forwarded.content) == {"completed": True}


def test_forward_answers_502_when_api_unreachable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with _client(refuse) as client:
        response = client.get("/api/auth/me")
        assert response.status_code == 502
        assert response.json()["message"] == "The API is unreachable; try again shortly."
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200


def test_ui_and_probes_served_when_web_only(client: TestClient) -> None:
    assert client.get("/").headers["content-security-policy"]
    assert client.get("/assets/js/main.js").status_code == 200
    assert client.get("/readyz").json() == {"status": "ok", "api": "ok"}
    client.get("/api/x/tasks")
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert 'http_requests_total{method="GET",route="/api/{path:path}",service="web"' in metrics.text


@pytest.mark.parametrize("token_in", ["subprotocol", "query"])
def test_updates_relayed_when_api_pushes_event(live_server: LiveServer, token_in: str) -> None:
    account = httpx.post(
        f"{live_server.url}/api/auth/signup",
        json={"email": f"relay-{token_in}@example.com", "password": "a-long-passw0rd",
              "name": "Relay"},
    ).json()  # fmt: skip
    user_id, token = account["user"]["id"], account["access_token"]
    # What the browser sends (the token as a subprotocol), and the older ?token= form.
    path = f"/api/{user_id}/updates"
    connect = (
        {"url": path, "subprotocols": ["bearer", token]}
        if token_in == "subprotocol"
        else {"url": f"{path}?token={token}"}
    )
    with (
        TestClient(create_web_app(live_server.url)) as client,
        client.websocket_connect(**connect) as socket,
    ):
        if token_in == "subprotocol":
            assert socket.accepted_subprotocol == "bearer"
        created = client.post(
            f"/api/{user_id}/tasks",
            headers={"Authorization": f"Bearer {token}"},
            json={"title": "through the proxy"},
        )
        assert created.status_code == 201
        message = socket.receive_json()
        assert message["event_type"] == "created"
        assert message["task_id"] == created.json()["id"]


def test_updates_closed_when_api_refuses_socket(live_server: LiveServer) -> None:
    with (
        TestClient(create_web_app(live_server.url)) as client,
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/api/00000000-0000-0000-0000-000000000000/updates?token=bad"),
    ):
        pass


def test_session_cookie_passes_both_ways_when_proxied(sqlite_url: str) -> None:
    # The real API behind the proxy: Set-Cookie reaches the browser and Cookie the API, so
    # refresh and log out work through `taskflow web` as they do against the API.
    api = create_app(make_settings(sqlite_url))
    web = create_web_app("http://api.test", transport=httpx.ASGITransport(app=api))
    same_origin = {"X-Requested-With": "taskflow"}
    with TestClient(web) as client:
        body = {"email": "proxied@example.com", "password": "a-long-passw0rd", "name": "P"}
        assert client.post("/api/auth/signup", json=body).status_code == 201
        first = client.cookies["taskflow_refresh"]
        refreshed = client.post("/api/auth/refresh", headers=same_origin)
        assert refreshed.status_code == 200, refreshed.text
        assert client.cookies["taskflow_refresh"] != first
        assert client.post("/api/auth/logout", headers=same_origin).status_code == 204
        assert "taskflow_refresh" not in client.cookies
        assert client.post("/api/auth/refresh", headers=same_origin).status_code == 401
