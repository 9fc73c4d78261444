"""The HTTP face of a background service (a consumer, the relay): probes, metrics, request
context, error answers and tracing, the same in every one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from app.api.errors import install_error_handlers
from app.api.middleware import RequestContextMiddleware
from app.api.routes import health, ops
from app.core.config import Settings
from app.core.tracing import NATIVE_TELEMETRY_OFF, configure_tracing, instrument

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def service_app(
    *,
    title: str,
    service: str,
    settings: Settings,
    engine: Engine,
    lifespan: Lifespan,
    readiness: dict[str, Callable[[], Awaitable[bool]]],
) -> FastAPI:
    """`lifespan` sets `app.state.liveness` (read by /healthz) once its loops run."""
    app = FastAPI(title=title, lifespan=lifespan, telemetry=NATIVE_TELEMETRY_OFF)
    app.state.settings = settings
    app.state.engine = engine
    app.state.readiness = readiness
    app.add_middleware(RequestContextMiddleware, service=service)
    install_error_handlers(app)
    configure_tracing(settings)
    instrument(app, engine, settings)
    app.include_router(health.router)
    app.include_router(ops.metrics_router)
    return app
