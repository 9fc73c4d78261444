"""The built-in agent follows the conversation: references resolve to tasks it showed or
changed, and a reference it cannot resolve gets a question, never a search or a change."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from app.chat.agents.base import AgentRequest, ToolCall, ToolRunner, Turn
from app.chat.agents.builtin import BuiltinAgent
from app.chat.tools import ToolContext
from tests.app.chat.evaluation import SEED, load, seeded_session
from tests.utils.users import signup

CLOCK = datetime.fromisoformat("2026-03-04T10:00:00+01:00")


def _say(message: str, history: list[Turn]) -> tuple[str, list[ToolCall]]:
    session, user = seeded_session(load(SEED), "Europe/Berlin")
    runner = ToolRunner(context=ToolContext(session=session, user=user))
    reply = BuiltinAgent(clock=lambda: CLOCK).respond(
        AgentRequest(message=message, history=history, timezone="Europe/Berlin", tools=runner)
    )
    session.close()
    return reply, runner.calls


def _turns(message: str, reply: str, *calls: ToolCall) -> list[Turn]:
    return [
        Turn(role="user", content=message),
        Turn(role="assistant", content=reply, tool_calls=calls),
    ]


def test_pronoun_without_context_asks_and_touches_nothing() -> None:
    reply, calls = _say("delete it", [])
    assert calls == []
    assert "?" in reply


def test_pronoun_is_the_task_the_last_turn_changed() -> None:
    added = ToolCall(
        name="add_task", arguments={"title": "gym"}, result={"id": 8, "title": "gym", "tags": []}
    )
    reply, calls = _say("make it p1", _turns("add gym", "Added “gym”.", added))
    assert [(c.name, c.arguments) for c in calls if c.name == "update_task"] == [
        ("update_task", {"task_id": 8, "priority": "P1"})
    ]
    assert "priority 1" in reply


def test_pronoun_after_a_list_of_several_asks_which() -> None:
    listing = ToolCall(
        name="list_tasks",
        arguments={"tag": ["work"]},
        result={
            "total": 2,
            "tasks": [
                {"id": 11, "title": "team meeting notes", "tags": ["work"]},
                {"id": 7, "title": "weekly report", "tags": ["work"]},
            ],
        },
    )
    history = _turns("show tasks tagged work", "2 tasks", listing)
    reply, calls = _say("complete it", history)
    assert calls == []
    assert "weekly report" in reply and "team meeting notes" in reply
    _, calls = _say("the second one", [*history, *_turns("complete it", reply)])
    assert [(c.name, c.arguments) for c in calls if c.name == "complete_task"] == [
        ("complete_task", {"task_id": 7})
    ]


def test_reply_shows_recurrence_in_words() -> None:
    reply, _ = _say("add payroll every 2 weeks on friday", [])
    assert "every 2 weeks on Friday" in reply
    assert "FREQ" not in reply


def test_follow_up_through_the_chat_api(client: TestClient) -> None:
    user = signup(client)
    url = f"/api/{user.id}/chat"
    first = client.post(url, json={"message": "add buy bread"}, headers=user.headers)
    assert first.status_code == 200, first.text
    body = {"conversation_id": first.json()["conversation_id"], "message": "make it p1"}
    second = client.post(url, json=body, headers=user.headers)
    assert second.status_code == 200, second.text
    tasks = client.get(user.tasks_url, headers=user.headers).json()
    assert [(t["title"], t["priority"]) for t in tasks] == [("buy bread", "P1")]
    body["message"] = "undo"
    assert client.post(url, json=body, headers=user.headers).status_code == 200
    tasks = client.get(user.tasks_url, headers=user.headers).json()
    assert [(t["title"], t["priority"]) for t in tasks] == [("buy bread", "P4")]


def test_undo_endpoint_reverses_the_last_changes(client: TestClient) -> None:
    user = signup(client)
    url = f"/api/{user.id}/chat"
    first = client.post(url, json={"message": "add buy bread"}, headers=user.headers)
    conversation = first.json()["conversation_id"]
    body = {"conversation_id": conversation, "message": "add buy jam"}
    assert client.post(url, json=body, headers=user.headers).status_code == 200
    undo = {"conversation_id": conversation, "count": 2}
    response = client.post(f"{url}/undo", json=undo, headers=user.headers)
    assert response.status_code == 200, response.text
    assert [c["name"] for c in response.json()["tool_calls"]] == ["delete_task", "delete_task"]
    assert client.get(user.tasks_url, headers=user.headers).json() == []
    missing = {"conversation_id": conversation + 100}
    assert client.post(f"{url}/undo", json=missing, headers=user.headers).status_code == 404
