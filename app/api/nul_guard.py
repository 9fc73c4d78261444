"""Rejects a NUL character anywhere in a request (path, query, JSON body) with 422.

PostgreSQL's text cannot hold one, so it would fail deep in a statement as a 500. Checked
once here, for every route (REST, chat, MCP over HTTP), instead of field by field.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import Message, Receive, Scope, Send

from app.api.asgi import HttpMiddleware
from app.api.errors import validation_response


def _nul_path(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where the first string holding a NUL is in a decoded JSON value, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return (*path, key)
            found = _nul_path(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, (*path, index))
            if found is not None:
                return found
    return None


class NulGuardMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        where: tuple[str | int, ...] | None = None
        if "\x00" in unquote(scope.get("raw_path", b"").decode("latin-1")):
            where = ("path",)
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                where = ("query", name)
                break
        body = b""
        if where is None:
            # The body is read here only to look for the JSON escape \u0000; it is replayed.
            messages: list[Message] = []
            more = True
            while more:
                message = await receive()
                messages.append(message)
                body += message.get("body", b"")
                more = message.get("more_body", False) and message["type"] == "http.request"
            if b"\\u0000" in body:
                try:
                    found = _nul_path(json.loads(body))
                except ValueError:
                    found = None
                if found is not None:
                    where = ("body", *found)

            downstream = receive  # the server's own receive, once the body is replayed

            async def replay() -> Message:
                return messages.pop(0) if messages else await downstream()

            receive = replay
        if where is None:
            await self.app(scope, receive, send)
            return
        response = validation_response(
            [{"loc": where, "msg": "must not contain NUL characters", "type": "string_nul"}]
        )
        await response(scope, receive, send)
