"""A real MCP client session (the SDK's Client) against /mcp over HTTP and `taskflow mcp` over stdio."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import httpx2
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from mcp import types
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from app.chat.tools import TOOLS
from app.core.config import Settings
from tests.utils.users import AuthedUser, signup


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server_url(app: FastAPI) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _signup(base_url: str) -> AuthedUser:
    with httpx.Client(base_url=base_url) as http:
        return signup(http, timezone="Europe/Berlin")  # type: ignore[arg-type]


def _structured(result: types.CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    text = result.content[0]
    assert isinstance(text, types.TextContent)
    value: dict[str, Any] = json.loads(text.text)
    return value


async def _add_and_list(client: Client) -> None:
    listed = await client.list_tools()
    assert {tool.name for tool in listed.tools} == set(TOOLS)
    add_schema = next(t for t in listed.tools if t.name == "add_task").input_schema
    assert add_schema["required"] == ["title"]
    assert {"priority", "tags", "due_at", "recurrence", "remind_before_minutes"} <= set(
        add_schema["properties"]
    )
    created = _structured(
        await client.call_tool(
            "add_task",
            {
                "title": "file taxes",
                "priority": "P1",
                "tags": ["#home"],
                "due_at": "2030-04-01T09:00:00",
                "remind_before_minutes": 30,
            },
        )
    )
    # A time without offset is read in the user's timezone (Berlin, UTC+2 in April).
    assert created["due_at"] == "2030-04-01T07:00:00Z"
    page = _structured(await client.call_tool("list_tasks", {"tag": ["home"]}))
    assert page["total"] == 1
    assert page["tasks"][0]["title"] == "file taxes"
    failed = await client.call_tool("add_task", {"title": "x", "remind_before_minutes": -1})
    assert failed.is_error


async def test_http_session_lists_and_calls_tools(server_url: str) -> None:
    user = _signup(server_url)
    async with (
        httpx2.AsyncClient(headers=user.headers, timeout=30) as http,
        Client(streamable_http_client(f"{server_url}/mcp", http_client=http)) as client,
    ):
        await _add_and_list(client)
    async with httpx.AsyncClient(base_url=server_url) as rest:
        tasks = (await rest.get(user.tasks_url, headers=user.headers)).json()
    assert [t["title"] for t in tasks] == ["file taxes"]


async def test_http_without_token_is_refused(server_url: str) -> None:
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"},
        },
    }
    accept = {"Accept": "application/json, text/event-stream"}
    async with httpx.AsyncClient(base_url=server_url) as http:
        missing = await http.post("/mcp", json=initialize, headers=accept)
        forged = await http.post(
            "/mcp", json=initialize, headers={**accept, "Authorization": "Bearer not-a-token"}
        )
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert forged.status_code == 401


async def test_http_refuses_a_token_from_before_log_out_everywhere(server_url: str) -> None:
    user = _signup(server_url)
    async with httpx.AsyncClient(base_url=server_url) as http:
        ended = await http.post(
            "/api/auth/logout-all", headers={**user.headers, "X-Requested-With": "taskflow"}
        )
        assert ended.status_code == 204, ended.text
        refused = await http.post(
            "/mcp",
            json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
            headers={**user.headers, "Accept": "application/json, text/event-stream"},
        )
    assert refused.status_code == 401


async def test_http_tools_act_only_for_token_user(server_url: str) -> None:
    owner, other = _signup(server_url), _signup(server_url)
    async with httpx.AsyncClient(base_url=server_url) as rest:
        created = await rest.post(owner.tasks_url, json={"title": "mine"}, headers=owner.headers)
    task = created.json()
    async with (
        httpx2.AsyncClient(headers=other.headers, timeout=30) as http,
        Client(streamable_http_client(f"{server_url}/mcp", http_client=http)) as client,
    ):
        result = await client.call_tool("delete_task", {"task_id": task["id"]})
        assert result.is_error
        assert _structured(await client.call_tool("list_tasks", {}))["total"] == 0


async def test_stdio_session_lists_and_calls_tools(client: TestClient, settings: Settings) -> None:
    user = signup(client, timezone="Europe/Berlin")
    uv = shutil.which("uv")
    assert uv is not None
    params = StdioServerParameters(
        command=uv,
        args=["run", "--quiet", "taskflow", "mcp"],
        env={
            "DATABASE_URL": settings.database_url,
            "JWT_SECRET": settings.jwt_secret,
            "TASKFLOW_TOKEN": user.token,
            "PATH": os.environ["PATH"],
        },
        cwd=os.getcwd(),
    )
    async with Client(params, read_timeout_seconds=60) as mcp_client:
        await _add_and_list(mcp_client)
        tasks = client.get(user.tasks_url, headers=user.headers).json()
        assert [t["title"] for t in tasks] == ["file taxes"]
        # Logging out everywhere revokes the token the server was started with, as over HTTP.
        assert client.post("/api/auth/logout-all", headers=user.headers).status_code == 204
        refused = await mcp_client.call_tool("list_tasks", {})
        assert refused.is_error and "revoked" in str(refused.content)
