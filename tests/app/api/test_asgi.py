from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from app.api.asgi import HttpMiddleware


class _Tagging(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app({**scope, "tagged": True}, receive, send)


def _run(scope_type: str) -> list[Scope]:
    seen: list[Scope] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        return None

    asyncio.run(_Tagging(inner)({"type": scope_type}, receive, send))
    return seen


def test_handle_sees_http_requests() -> None:
    assert _run("http") == [{"type": "http", "tagged": True}]


def test_lifespan_and_websocket_pass_through_untouched() -> None:
    assert _run("lifespan") == [{"type": "lifespan"}]
    assert _run("websocket") == [{"type": "websocket"}]
