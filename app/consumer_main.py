"""The consumer process root (`taskflow consume <name>`): one consumer as its own service,
fed by the transport's host (Kafka loop or Dapr routes), plus health, metrics and, for
realtime, the WebSocket clients connect to. It only wires."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlmodel import Session

from app.api.routes import updates
from app.api.service_app import service_app
from app.consumers.registry import build_consumer
from app.core.config import Settings
from app.core.db import make_engine
from app.core.jobs import running
from app.core.periodic import periodic
from app.events.dead_letters import report_depth
from app.realtime.hub import ConnectionHub
from app.transports import release, select_transport


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
        try:
            async with running(jobs) as jobs_live:
                app.state.liveness = lambda: (
                    jobs_live() and (host.healthy is None or host.healthy())
                )
                yield
        finally:
            await release(engine=engine, sidecar=sidecar, publisher=publisher)

    app = service_app(
        title=f"Taskflow {name} consumer",
        service=name,
        settings=settings,
        engine=engine,
        lifespan=lifespan,
        readiness=sidecar.checks,
    )
    app.state.hub = hub
    app.state.consumer = consumer
    if host.router is not None:
        app.include_router(host.router)
    if name == "realtime":
        app.include_router(updates.router)
    return app
