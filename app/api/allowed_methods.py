"""A 405 names every method its path accepts (Starlette names only the first route's, and
GET and POST on one path are two routes)."""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class AllowedMethodsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

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
