"""The model-backed agent sees the conversation so far, tool calls and results included, so a
model can resolve "it" in a second message: a two-turn dialogue against a scripted server."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from app.api.routes.chat import get_agent
from app.chat.agents.base import Agent
from app.chat.service import make_agent
from app.core.config import Settings
from tests.app.chat.test_openai_agent import ScriptedModel, scripted  # noqa: F401
from tests.utils.users import signup


def _call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{name}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)},
            }
        ],
    }


class DialogueModel(ScriptedModel):
    """Turn 1 adds a task; turn 2 ("make it p1") finds the id in the earlier tool result."""

    async def complete(self, request: Request) -> dict[str, Any]:
        body: dict[str, Any] = await request.json()
        self.requests.append(body)
        messages = body["messages"]
        last = messages[-1]
        if last["role"] == "tool":
            message: dict[str, Any] = {"role": "assistant", "content": "Done."}
        elif last["content"] == "make it p1":
            added = [
                json.loads(m["content"])
                for m in messages
                if m["role"] == "tool" and "title" in json.loads(m["content"])
            ]
            message = _call("update_task", {"task_id": added[-1]["id"], "priority": "P1"})
        else:
            message = _call("add_task", {"title": "buy bread"})
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        }


def test_openai_agent_gets_tool_history_across_turns(
    app: FastAPI,
    client: TestClient,
    settings: Settings,
    scripted: tuple[ScriptedModel, str],  # noqa: F811
) -> None:
    base, base_url = scripted
    model = DialogueModel()
    base.app.router.routes.clear()
    base.app.post("/v1/chat/completions")(model.complete)
    configured = settings.model_copy(
        update={"openai_api_key": "sk-test", "openai_base_url": base_url, "openai_model": "m1"}
    )

    def agent() -> Agent:
        return make_agent(configured)

    app.dependency_overrides[get_agent] = agent
    user = signup(client)
    url = f"/api/{user.id}/chat"
    first = client.post(url, json={"message": "add buy bread"}, headers=user.headers)
    assert first.status_code == 200, first.text
    conversation = first.json()["conversation_id"]
    second = client.post(
        url, json={"conversation_id": conversation, "message": "make it p1"}, headers=user.headers
    )
    assert second.status_code == 200, second.text
    tasks = client.get(user.tasks_url, headers=user.headers).json()
    assert [(t["title"], t["priority"]) for t in tasks] == [("buy bread", "P1")]
    history = model.requests[2]["messages"]
    roles = [m["role"] for m in history]
    assert roles == ["system", "user", "assistant", "tool", "assistant", "user"]
    assert history[2]["tool_calls"][0]["function"]["name"] == "add_task"
