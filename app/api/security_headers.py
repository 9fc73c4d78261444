"""Security headers on every API response (the web app's pages set their own CSP)."""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from app.api.asgi import HttpMiddleware

# JSON needs no scripts, styles or frames; the docs page (Swagger UI) gets its own below.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "frame-ancestors 'none'"
)
_ALWAYS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
}
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        extra = dict(_ALWAYS)
        extra[b"content-security-policy"] = (
            DOCS_POLICY if path.startswith(DOCS_PATHS) else API_POLICY
        ).encode()
        if path.startswith("/api/"):
            # Task lists and tokens must not linger in shared caches or the browser's.
            extra[b"cache-control"] = b"no-store"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
