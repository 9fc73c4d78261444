"""The consumer process root (`taskflow consume <name>`): one consumer as its own service,
fed by the transport's host (Kafka loop or Dapr routes), plus health, metrics and, for
realtime, the WebSocket clients connect to. It only wires."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlmodel import Session

from app.api.errors import install_error_handlers
from app.api.middleware import RequestContextMiddleware
from app.api.routes import health, ops, updates
from app.consumers.registry import build_consumer
from app.core.config import Settings
from app.core.db import make_engine
from app.core.periodic import periodic
from app.core.tracing import configure_tracing, instrument
from app.events.dead_letters import report_depth
from app.realtime.hub import ConnectionHub
from app.transports import select_transport


def create_consumer_app(settings: Settings, name: str) -> FastAPI:
    transport = select_transport(settings)
    if transport.embeds_consumers:
        raise ValueError(
            f"with EVENT_TRANSPORT={transport.name} the consumers run inside `taskflow serve`; "
            "set EVENT_TRANSPORT=kafka or USE_DAPR=true to run them as services"
        )
    engine = make_engine(settings.database_url, echo=settings.db_echo)
    hub = ConnectionHub()
    publisher = transport.publisher()
    sidecar = transport.sidecar()
    consumer = build_consumer(
        name,
        settings=settings,
        engine=engine,
        dead_letters=transport.dead_letter_sink(engine, publisher),
        hub=hub,
    )
    host = transport.host(consumer)

    def report_dlq_depth() -> None:
        with Session(engine) as session:
            report_depth(session=session)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        jobs = [
            periodic(report_dlq_depth, every=15, what="DLQ depth report"),
            *((host.run,) if host.run is not None else ()),
        ]
        if name == "reminders":  # without Dapr nothing else schedules the check
            jobs += transport.reminder_jobs(engine)
        tasks = [asyncio.create_task(job()) for job in jobs]

        def live() -> bool:
            # A finished background task is a dead loop: nothing would ever restart it.
            return not any(t.done() for t in tasks) and (host.healthy is None or host.healthy())

        app.state.liveness = live
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await publisher.stop()
            if sidecar.close is not None:
                await sidecar.close()
            engine.dispose()

    app = FastAPI(title=f"Taskflow {name} consumer", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.hub = hub
    app.state.consumer = consumer
    app.state.readiness = sidecar.checks
    app.add_middleware(RequestContextMiddleware, service=name)
    install_error_handlers(app)
    configure_tracing(settings)
    instrument(app, engine, settings)
    app.include_router(health.router)
    app.include_router(ops.metrics_router)
    if host.router is not None:
        app.include_router(host.router)
    if name == "realtime":
        app.include_router(updates.router)
    return app
