"""The API process root: builds the app from settings; it only wires."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api.allowed_methods import AllowedMethodsMiddleware
from app.api.errors import install_error_handlers
from app.api.main import api_router
from app.api.middleware import RequestContextMiddleware
from app.api.nul_guard import NulGuardMiddleware
from app.api.routes import ops
from app.api.security_headers import SecurityHeadersMiddleware
from app.api.throttle import AddressThrottle
from app.chat.mcp_server import McpHttp
from app.core.config import Settings
from app.core.db import make_engine
from app.core.tracing import NATIVE_TELEMETRY_OFF, configure_tracing, instrument
from app.realtime.hub import ConnectionHub
from app.runtime import EventRuntime
from app.transports import release, select_transport
from app.web import mount_web


def create_app(settings: Settings) -> FastAPI:
    engine = make_engine(settings.database_url, echo=settings.db_echo)
    hub = ConnectionHub()
    transport = select_transport(settings)
    events = EventRuntime(settings, engine, hub, transport)
    sidecar = transport.sidecar()
    mcp = McpHttp(settings=settings, engine=engine)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await events.start()
        try:
            async with mcp.lifespan():
                yield
        finally:
            await events.stop()
            await release(engine=engine, sidecar=sidecar)

    app = FastAPI(
        telemetry=NATIVE_TELEMETRY_OFF,
        title="Taskflow",
        version="0.1.0",
        description="Tasks with priorities, tags, search, due dates, recurrence and reminders.",
        lifespan=lifespan,
        # Off where the public should not read the API's shape (EXPOSE_DOCS=false).
        docs_url="/docs" if settings.expose_docs else None,
        redoc_url="/redoc" if settings.expose_docs else None,
        openapi_url="/openapi.json" if settings.expose_docs else None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.hub = hub
    app.state.transport = transport
    app.state.readiness = sidecar.checks
    app.state.auth_throttle = AddressThrottle(settings.auth_rate_limit)
    app.add_middleware(AllowedMethodsMiddleware)
    app.add_middleware(NulGuardMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestContextMiddleware, service=settings.service_name)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["*"],
        allow_headers=["*"],
        # A browser script reads only the headers listed here; the exact flag tells it whether
        # X-Total-Count is a count or an estimate.
        expose_headers=[
            "X-Total-Count",
            "X-Total-Count-Exact",
            "X-Unread-Count",
            "X-Correlation-ID",
        ],
    )
    install_error_handlers(app)
    configure_tracing(settings)
    instrument(app, engine, settings)
    app.include_router(api_router)
    if settings.expose_metrics:
        app.include_router(ops.metrics_router)
    app.router.routes.append(mcp.route)
    mount_web(app)
    return app
