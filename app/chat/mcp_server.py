"""The MCP server: the task tools over streamable HTTP (/mcp) and stdio (`taskflow mcp`).

Built on the SDK's low-level Server so the tool schemas are exactly the argument
models in app.chat.tools (one definition for MCP and the chat agents).
Over HTTP, BearerGuard checks the user's access token before the SDK sees the
request and stores the user id in the ASGI scope; over stdio the token the process
was started with is checked again on every call, so it stops working when it expires
or its user logs out everywhere, as it does over HTTP.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import anyio
from mcp import types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from app.chat.tools import TOOLS, ToolContext, run_tool
from app.core.config import Settings
from app.core.security import decode_access_claims
from app.repositories.users import get_user

SCOPE_USER_KEY = "taskflow.user_id"
INSTRUCTIONS = (
    "Taskflow task tools. Dates without an offset are read in the user's timezone; "
    "results give times in UTC. Find a task's id with list_tasks (q=keywords) before "
    "changing it."
)

UserResolver = Callable[[ServerRequestContext[Any, Any]], uuid.UUID | None]


def user_from_scope(ctx: ServerRequestContext[Any, Any]) -> uuid.UUID | None:
    """The user BearerGuard authenticated for this HTTP request."""
    request = ctx.request
    if isinstance(request, Request):
        value = request.scope.get(SCOPE_USER_KEY)
        return value if isinstance(value, uuid.UUID) else None
    return None


def _tool_list() -> list[types.Tool]:
    return [
        types.Tool(
            name=spec.name,
            title=spec.title,
            description=spec.description,
            input_schema=spec.input_schema,
            annotations=types.ToolAnnotations(
                title=spec.title,
                read_only_hint=spec.read_only,
                destructive_hint=spec.destructive,
                open_world_hint=False,
            ),
        )
        for spec in TOOLS.values()
    ]


def _call(engine: Engine, user_id: uuid.UUID, name: str, arguments: dict[str, Any]) -> Any:
    with Session(engine) as session:
        user = get_user(session=session, user_id=user_id)
        if user is None:
            return False, {"error": "the token's user no longer exists"}
        outcome = run_tool(ToolContext(session=session, user=user), name, arguments)
        return outcome.ok, outcome.result


def build_server(*, engine: Engine, resolve_user: UserResolver) -> Server[Any]:
    async def list_tools(
        ctx: ServerRequestContext[Any, Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=_tool_list())

    async def call_tool(
        ctx: ServerRequestContext[Any, Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        user_id = resolve_user(ctx)
        if user_id is None:
            ok, result = False, {"error": "not authenticated: the token is expired or revoked"}
        else:
            ok, result = await anyio.to_thread.run_sync(
                partial(_call, engine, user_id, params.name, dict(params.arguments or {}))
            )
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=json.dumps(result))],
            structured_content=result if isinstance(result, dict) else {"result": result},
            is_error=not ok,
        )

    def input_schema(name: str) -> dict[str, Any] | None:
        spec = TOOLS.get(name)
        return spec.input_schema if spec else None

    return Server(
        "taskflow",
        version="0.1.0",
        instructions=INSTRUCTIONS,
        get_tool_input_schema=input_schema,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def token_user(token: str, *, engine: Engine, settings: Settings) -> uuid.UUID | None:
    """The user of a valid, unexpired access token, unless they logged out everywhere since
    it was issued (it then carries an older epoch than theirs)."""
    claims = decode_access_claims(
        token, secret=settings.jwt_secret, algorithm=settings.jwt_algorithm
    )
    if claims is None:
        return None
    with Session(engine) as session:
        user = get_user(session=session, user_id=claims.user_id)
    return user.id if user is not None and user.token_epoch == claims.epoch else None


class BearerGuard:
    """ASGI wrapper: refuses requests without a valid access token (401), else passes on."""

    def __init__(self, app: ASGIApp, *, settings: Settings, engine: Engine) -> None:
        self.app = app
        self.settings = settings
        self.engine = engine

    def _user_id(self, scope: Scope) -> uuid.UUID | None:
        header = Request(scope).headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        return token_user(token.strip(), engine=self.engine, settings=self.settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        user_id = await anyio.to_thread.run_sync(self._user_id, scope)
        if user_id is None:
            response = JSONResponse(
                {"detail": "missing or invalid access token"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send)
            return
        scope[SCOPE_USER_KEY] = user_id
        await self.app(scope, receive, send)


class McpHttp:
    """The /mcp endpoint of the API: stateless streamable HTTP, JSON responses.

    Stateless, so any replica answers any request. `lifespan()` must run inside the
    application's lifespan (the SDK's session manager owns a task group).
    """

    def __init__(self, *, settings: Settings, engine: Engine) -> None:
        self.server = build_server(engine=engine, resolve_user=user_from_scope)
        # Builds the session manager; its ASGI handler is what /mcp serves.
        self.server.streamable_http_app(
            streamable_http_path="/mcp",
            stateless_http=True,
            json_response=True,
            # Host/Origin checks are for servers bound to localhost; the API sits behind
            # an ingress and checks the bearer token instead.
            host="0.0.0.0",
        )
        handler = StreamableHTTPASGIApp(self.server.session_manager)
        self.asgi: ASGIApp = BearerGuard(handler, settings=settings, engine=engine)
        # An ASGI app as the endpoint: every method reaches the SDK (POST, GET, DELETE).
        self.route = Route("/mcp", endpoint=self.asgi, include_in_schema=False)

    @asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        async with self.server.session_manager.run():
            yield


async def serve_stdio(*, engine: Engine, settings: Settings, token: str) -> None:
    """Serves the tools on stdin/stdout for the token's user (desktop MCP clients)."""
    # One client and a primary-key read: checking in the event loop holds up nobody.
    server = build_server(
        engine=engine,
        resolve_user=lambda _ctx: token_user(token, engine=engine, settings=settings),
    )
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
