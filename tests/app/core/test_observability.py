"""Correlation ids, JSON logs, traces and metrics across a request and its events."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.core.logging import configure_logging
from app.models.outbox import OutboxMessage
from tests.utils.users import create_task, signup
from tests.utils.waiting import eventually


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("api", "INFO", stream)
    yield stream
    root.handlers[:], root.level = saved


def _records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]


def test_correlation_id_reaches_api_log_event_header_and_consumer_log(
    client: TestClient, engine: Engine, log_lines: io.StringIO
) -> None:
    user = signup(client)
    response = client.post(
        user.tasks_url,
        json={"title": "trace me"},
        headers={**user.headers, "X-Correlation-ID": "req-42"},
    )
    assert response.headers["X-Correlation-ID"] == "req-42"

    api_line = next(
        r
        for r in _records(log_lines)
        if r["message"] == "request"
        and r["method"] == "POST"
        and r["route"] == "/api/{user_id}/tasks"
    )
    assert api_line["correlation_id"] == "req-42" and api_line["service"] == "api"
    assert api_line["status"] == 201 and api_line["user_id"] == str(user.id)
    assert api_line["level"] == "INFO" and "time" in api_line and api_line["trace_id"]

    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert rows and all(r.correlation_id == "req-42" for r in rows)
    assert all(r.traceparent and r.traceparent.split("-")[1] == api_line["trace_id"] for r in rows)

    consumer_lines = eventually(
        lambda: [
            r
            for r in _records(log_lines)
            if r["message"] == "event handled" and r.get("consumer") == "audit"
        ]
    )
    assert consumer_lines[0]["correlation_id"] == "req-42"
    # The consumer's span continues the request's trace across the (in-process) broker.
    assert consumer_lines[0]["trace_id"] == api_line["trace_id"]


@pytest.mark.parametrize(
    ("path", "body"),
    [("chat", {"message": "add water plants"}), ("import/todoist", None)],
)
def test_events_of_the_assistant_and_the_import_carry_the_requests_correlation_id(
    client: TestClient, engine: Engine, path: str, body: dict[str, str] | None
) -> None:
    """The id travels in the context, not as an argument: these write tasks far from the
    route (a tool call; a row of a CSV) and must still stamp it on their events."""
    user = signup(client)
    headers = {**user.headers, "X-Correlation-ID": f"via-{path.replace('/', '-')}"}
    if body is None:
        csv = "TYPE,CONTENT,PRIORITY\ntask,water plants,4\n"
        response = client.post(
            f"/api/{user.id}/{path}", content=csv, headers={**headers, "Content-Type": "text/csv"}
        )
    else:
        response = client.post(f"/api/{user.id}/{path}", json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert rows and {r.correlation_id for r in rows} == {headers["X-Correlation-ID"]}


def test_correlation_id_is_made_when_missing_and_taken_from_traceparent(client: TestClient) -> None:
    made = client.get("/healthz").headers["X-Correlation-ID"]
    assert len(made) == 32
    traced = client.get(
        "/healthz",
        headers={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
    )
    assert traced.headers["X-Correlation-ID"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    unsafe = client.get("/healthz", headers={"X-Correlation-ID": "bad id\nwith newline"})
    assert unsafe.headers["X-Correlation-ID"] != "bad id\nwith newline"


def test_metrics_use_route_templates_not_raw_paths(client: TestClient) -> None:
    user = signup(client)
    task = create_task(client, user)
    client.get(f"{user.tasks_url}/{task['id']}", headers=user.headers)
    body = client.get("/metrics").text
    assert 'route="/api/{user_id}/tasks/{task_id}"' in body
    assert str(user.id) not in body
    assert "taskflow_outbox_backlog" in body and "http_request_duration_seconds_bucket" in body
