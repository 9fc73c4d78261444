"""Per-request correlation id and Prometheus request metrics, as one pure ASGI middleware."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.logging import correlation_id_var
from app.core.metrics import HTTP_LATENCY, HTTP_REQUESTS

logger = logging.getLogger("taskflow.access")
CORRELATION_HEADER = "x-correlation-id"
# Probes and scrapes would drown the access log.
QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


def incoming_correlation_id(headers: dict[str, str]) -> str:
    """Keeps a well-formed X-Correlation-ID, else the W3C trace id, else makes one."""
    given = headers.get(CORRELATION_HEADER, "")
    if _SAFE_ID.match(given):
        return given
    trace = _TRACEPARENT.match(headers.get("traceparent", ""))
    return trace.group(1) if trace else uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        correlation_id = incoming_correlation_id(headers)
        token = correlation_id_var.set(correlation_id)
        status = 500
        started = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append(
                    (CORRELATION_HEADER.encode(), correlation_id.encode())
                )
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if scope["type"] == "http":
                self._observe(scope, status, time.perf_counter() - started)
            correlation_id_var.reset(token)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route: Any = scope.get("route")
        # The route template, never the raw path: ids in paths would explode cardinality.
        path = getattr(route, "path", None) or "unmatched"
        method = scope["method"]
        HTTP_REQUESTS.labels(
            service=self.service, method=method, route=path, status=str(status)
        ).inc()
        HTTP_LATENCY.labels(service=self.service, method=method, route=path).observe(seconds)
        if path not in QUIET_ROUTES:
            params = scope.get("path_params", {})
            logger.info(
                "request",
                extra={
                    "method": method,
                    "route": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "user_id": params.get("user_id") and str(params["user_id"]),
                    "task_id": params.get("task_id"),
                },
            )
