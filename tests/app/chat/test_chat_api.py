"""POST /chat and the conversation endpoints, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.models.conversation import MESSAGE_MAX
from tests.utils.users import create_task, signup


def test_chat_adds_task_and_stores_conversation(client: TestClient) -> None:
    user = signup(client, timezone="Europe/Berlin")
    response = client.post(
        f"/api/{user.id}/chat",
        json={"message": "buy milk tomorrow at 5pm #groceries p2, remind me an hour before"},
        headers=user.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["name"] for c in body["tool_calls"]] == ["add_task"]
    assert body["tool_calls"][0]["arguments"]["title"] == "buy milk"
    tasks = client.get(user.tasks_url, headers=user.headers).json()
    assert [(t["title"], t["priority"], t["tags"], t["remind_before_minutes"]) for t in tasks] == [
        ("buy milk", "P2", ["groceries"], 60)
    ]
    conversations = client.get(f"/api/{user.id}/conversations", headers=user.headers).json()
    assert [c["id"] for c in conversations] == [body["conversation_id"]]
    messages = client.get(
        f"/api/{user.id}/conversations/{body['conversation_id']}/messages", headers=user.headers
    ).json()
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[1]["tool_calls"][0]["name"] == "add_task"


def test_chat_continues_conversation_when_id_given(client: TestClient) -> None:
    user = signup(client)
    first = client.post(
        f"/api/{user.id}/chat", json={"message": "add water plants"}, headers=user.headers
    ).json()
    second = client.post(
        f"/api/{user.id}/chat",
        json={"conversation_id": first["conversation_id"], "message": "mark water plants done"},
        headers=user.headers,
    )
    assert second.status_code == 200
    assert second.json()["conversation_id"] == first["conversation_id"]
    assert [c["name"] for c in second.json()["tool_calls"]] == ["list_tasks", "complete_task"]
    messages = client.get(
        f"/api/{user.id}/conversations/{first['conversation_id']}/messages", headers=user.headers
    ).json()
    assert len(messages) == 4


def test_chat_asks_which_when_reference_ambiguous(client: TestClient) -> None:
    user = signup(client)
    create_task(client, user, title="call mom")
    create_task(client, user, title="call mom about the trip")
    create_task(client, user, title="call mom back")
    body = client.post(
        f"/api/{user.id}/chat", json={"message": "mark call done"}, headers=user.headers
    ).json()
    assert "Which one" in body["reply"]
    assert [c["name"] for c in body["tool_calls"]] == ["list_tasks"]
    assert all(not t["completed"] for t in client.get(user.tasks_url, headers=user.headers).json())


def test_chat_says_not_understood_with_examples(client: TestClient) -> None:
    user = signup(client)
    body = client.post(
        f"/api/{user.id}/chat", json={"message": "blorp"}, headers=user.headers
    ).json()
    assert "didn't understand" in body["reply"]
    assert "what's due this week?" in body["reply"]
    assert body["tool_calls"] == []


def test_chat_rejects_empty_and_overlong_message(client: TestClient) -> None:
    user = signup(client)
    url = f"/api/{user.id}/chat"
    assert client.post(url, json={"message": ""}, headers=user.headers).status_code == 422
    too_long = {"message": "x" * (MESSAGE_MAX + 1)}
    assert client.post(url, json=too_long, headers=user.headers).status_code == 422


def test_chat_unknown_conversation_is_404(client: TestClient) -> None:
    user = signup(client)
    response = client.post(
        f"/api/{user.id}/chat",
        json={"conversation_id": 999999, "message": "add x"},
        headers=user.headers,
    )
    assert response.status_code == 404
    messages = client.get(f"/api/{user.id}/conversations/999999/messages", headers=user.headers)
    assert messages.status_code == 404


def test_chat_isolates_users(client: TestClient) -> None:
    owner, intruder = signup(client), signup(client)
    conversation = client.post(
        f"/api/{owner.id}/chat", json={"message": "add secret plan"}, headers=owner.headers
    ).json()["conversation_id"]
    assert (
        client.post(
            f"/api/{owner.id}/chat", json={"message": "add x"}, headers=intruder.headers
        ).status_code
        == 403
    )
    assert client.get(f"/api/{owner.id}/conversations", headers=intruder.headers).status_code == 403
    own_url = f"/api/{intruder.id}"
    assert client.get(f"{own_url}/conversations", headers=intruder.headers).json() == []
    assert (
        client.get(
            f"{own_url}/conversations/{conversation}/messages", headers=intruder.headers
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{own_url}/chat",
            json={"conversation_id": conversation, "message": "list my tasks"},
            headers=intruder.headers,
        ).status_code
        == 404
    )
    body = client.post(
        f"{own_url}/chat", json={"message": "mark secret plan done"}, headers=intruder.headers
    ).json()
    assert "couldn't find" in body["reply"]


def test_chat_without_token_is_401(client: TestClient) -> None:
    user = signup(client)
    assert client.post(f"/api/{user.id}/chat", json={"message": "hi"}).status_code == 401
