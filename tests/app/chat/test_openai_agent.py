"""The model-backed agent against a scripted OpenAI-compatible server run inside the test."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from app.api.routes.chat import get_agent
from app.chat.agents.base import Agent
from app.chat.service import make_agent
from app.core.config import Settings
from tests.conftest import make_settings
from tests.utils.users import signup


class ScriptedModel:
    """Answers chat.completions: first a tool call, then (after the tool result) a reply."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self.complete)

    async def complete(self, request: Request) -> dict[str, Any]:
        body: dict[str, Any] = await request.json()
        self.requests.append(body)
        last = body["messages"][-1]
        if last["role"] == "tool":
            result = json.loads(last["content"])
            message: dict[str, Any] = {
                "role": "assistant",
                "content": f"Added '{result['title']}' as task {result['id']}.",
            }
            finish = "stop"
        else:
            arguments = {"title": "call the plumber", "priority": "P1", "tags": ["home"]}
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "add_task", "arguments": json.dumps(arguments)},
                    }
                ],
            }
            finish = "tool_calls"
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        }


@pytest.fixture
def scripted() -> Iterator[tuple[ScriptedModel, str]]:
    model = ScriptedModel()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(model.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield model, f"http://127.0.0.1:{port}/v1"
    server.should_exit = True
    thread.join(timeout=10)


def test_make_agent_picks_model_only_with_key() -> None:
    assert type(make_agent(make_settings("sqlite://"))).__name__ == "BuiltinAgent"
    keyed = make_settings("sqlite://", openai_api_key="sk-test")
    assert type(make_agent(keyed)).__name__ == "OpenAIAgent"


def test_openai_agent_runs_tool_loop(
    app: FastAPI, client: TestClient, settings: Settings, scripted: tuple[ScriptedModel, str]
) -> None:
    model, base_url = scripted
    configured = settings.model_copy(
        update={"openai_api_key": "sk-test", "openai_base_url": base_url, "openai_model": "m1"}
    )

    def agent() -> Agent:
        return make_agent(configured)

    app.dependency_overrides[get_agent] = agent
    user = signup(client)
    response = client.post(
        f"/api/{user.id}/chat",
        json={"message": "remind me to call the plumber"},
        headers=user.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    tasks = client.get(user.tasks_url, headers=user.headers).json()
    assert [(t["title"], t["priority"], t["tags"]) for t in tasks] == [
        ("call the plumber", "P1", ["home"])
    ]
    assert body["reply"] == f"Added 'call the plumber' as task {tasks[0]['id']}."
    assert [c["name"] for c in body["tool_calls"]] == ["add_task"]
    assert len(model.requests) == 2
    first, second = model.requests
    assert first["model"] == "m1"
    assert {t["function"]["name"] for t in first["tools"]} >= {"add_task", "list_tasks"}
    assert first["messages"][-1] == {"role": "user", "content": "remind me to call the plumber"}
    tool_message = second["messages"][-1]
    assert tool_message["tool_call_id"] == "call_1"
    assert json.loads(tool_message["content"])["id"] == tasks[0]["id"]
