"""`taskflow web`: the UI alone (the cluster's web service), with /api proxied to the API.

The browser talks to one origin, so the same static files work here and under `taskflow serve`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import httpx
from fastapi import FastAPI, Request, Response, WebSocket, status
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

from app.api.middleware import RequestContextMiddleware
from app.web import mount_web

# Hop-by-hop headers (RFC 9110 7.6.1), plus those httpx recomputes for the decoded body.
_DROP_REQUEST = {
    "host",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}
_DROP_RESPONSE = _DROP_REQUEST | {"content-length", "content-encoding"}
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_web_app(api_url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """The UI at "/", /api/* forwarded to api_url, and /healthz, /readyz, /metrics."""
    api_url = api_url.rstrip("/")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(base_url=api_url, timeout=30.0, transport=transport) as client:
            app.state.client = client
            yield

    app = FastAPI(
        title="Taskflow web", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.add_middleware(RequestContextMiddleware, service="web")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        """Ready when the API answers its own /healthz."""
        client: httpx.AsyncClient = request.app.state.client
        try:
            answer = await client.get("/healthz", timeout=3.0)
            ok = answer.status_code == status.HTTP_200_OK
        except httpx.HTTPError:
            ok = False
        return JSONResponse(
            status_code=status.HTTP_200_OK if ok else status.HTTP_503_SERVICE_UNAVAILABLE,
            content={"status": "ok" if ok else "unavailable", "api": "ok" if ok else "unreachable"},
        )

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.websocket("/api/{user_id}/updates")
    async def updates(websocket: WebSocket, user_id: str) -> None:
        await _relay_socket(websocket, _ws_url(api_url, websocket))

    @app.api_route("/api/{path:path}", methods=_METHODS, include_in_schema=False)
    async def forward(request: Request, path: str) -> Response:
        return await _forward(request)

    mount_web(app, api=False)
    return app


async def _forward(request: Request) -> Response:
    client: httpx.AsyncClient = request.app.state.client
    raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
    target = httpx.URL(path=raw_path.decode("latin-1"), query=request.url.query.encode())
    upstream = client.build_request(
        request.method,
        target,
        headers=[(k, v) for k, v in request.headers.items() if k.lower() not in _DROP_REQUEST],
        content=await request.body(),
    )
    try:
        answer = await client.send(upstream)
    except httpx.HTTPError:
        message = "The API is unreachable; try again shortly."
        return JSONResponse(
            status_code=status.HTTP_502_BAD_GATEWAY,
            content={"detail": message, "message": message},
        )
    headers = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in _DROP_RESPONSE]
    response = Response(content=answer.content, status_code=answer.status_code)
    response.raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers] + [
        (b"content-length", str(len(answer.content)).encode())
    ]
    return response


def _ws_url(api_url: str, websocket: WebSocket) -> str:
    base = api_url.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    path, query = websocket.url.path, websocket.url.query
    return f"{base}{path}?{query}" if query else f"{base}{path}"


async def _relay_socket(websocket: WebSocket, url: str) -> None:
    """Relays messages both ways; when either side closes, closes the other."""
    # The browser's subprotocols carry its token (["bearer", token]): offer them upstream and
    # answer with the one the API chose.
    offered = [Subprotocol(p) for p in websocket.scope.get("subprotocols") or []]
    try:
        upstream = await connect(url, open_timeout=5, subprotocols=offered or None)
    except (OSError, WebSocketException, TimeoutError):
        await websocket.close(code=status.WS_1011_INTERNAL_ERROR, reason="API unreachable")
        return
    await websocket.accept(subprotocol=upstream.subprotocol)

    async def down() -> None:
        async for message in upstream:
            if isinstance(message, bytes):
                await websocket.send_bytes(message)
            else:
                await websocket.send_text(message)

    async def up() -> None:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is not None:
                await upstream.send(message["text"])
            elif message.get("bytes") is not None:
                await upstream.send(message["bytes"])

    tasks = [asyncio.create_task(down()), asyncio.create_task(up())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        with suppress(Exception):
            await upstream.close()
        with suppress(Exception):
            await websocket.close()
