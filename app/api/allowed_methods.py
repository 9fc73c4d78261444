"""A 405 names every method its path accepts (Starlette names only the first route's, and
GET and POST on one path are two routes)."""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import Message, Receive, Scope, Send

from app.api.asgi import HttpMiddleware

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class AllowedMethodsMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                # Asks the router itself (included routers are nested) which methods match.
                routes = scope["app"].router.routes
                methods = [
                    method
                    for method in METHODS
                    if any(r.matches({**scope, "method": method})[0] == Match.FULL for r in routes)
                ]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                headers.append((b"allow", ", ".join(methods).encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_allow)
