"""Each refusal a route can answer with is in the OpenAPI document, with the body it sends."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.errors import ErrorBody
from tests.utils.users import signup

# Bodies the guards answer with, and the status each must be documented as.
GUARDED = {"401": "missing or invalid access token", "403": "not your account"}


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    paths: dict[str, dict[str, Any]] = client.get("/openapi.json").json()["paths"]
    return [(path, method, op) for path, ops in paths.items() for method, op in ops.items()]


def test_user_scoped_routes_document_401_and_403(client: TestClient) -> None:
    scoped = [(p, m, op) for p, m, op in _operations(client) if p.startswith("/api/{user_id}")]
    assert len(scoped) > 20
    for path, method, op in scoped:
        assert {"401", "403", "422"} <= set(op["responses"]), f"{method} {path}"


def test_routes_with_an_id_document_404(client: TestClient) -> None:
    with_id = [
        (p, m, op)
        for p, m, op in _operations(client)
        if set(re.findall(r"{(\w+)}", p)) - {"user_id"}
    ]
    assert len(with_id) > 8
    for path, method, op in with_id:
        assert "404" in op["responses"], f"{method} {path}"


def test_routes_with_a_json_body_document_400(client: TestClient) -> None:
    for path, method, op in _operations(client):
        if "application/json" in op.get("requestBody", {}).get("content", {}):
            assert "400" in op["responses"], f"{method} {path}"


@pytest.mark.parametrize("status", sorted(GUARDED))
def test_guard_refusals_have_the_documented_body(client: TestClient, status: str) -> None:
    owner = signup(client)
    other = signup(client)
    headers = {} if status == "401" else other.headers
    response = client.get(owner.tasks_url, headers=headers)
    assert str(response.status_code) == status
    body = ErrorBody.model_validate(response.json())
    assert body.message == GUARDED[status]
    schema = client.get("/openapi.json").json()["paths"]["/api/{user_id}/tasks"]["get"]
    ref = schema["responses"][status]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ErrorBody")
