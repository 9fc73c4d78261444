"""The relay process root (`taskflow relay`): the outbox relay as its own service, woken by
PostgreSQL's NOTIFY on every commit that wrote events, plus health and metrics. Out of the API
process, no request thread holds an event back (docs/adr/1003). It only wires."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.service_app import service_app
from app.core.config import Settings
from app.core.db import make_engine
from app.core.jobs import running
from app.events.relay import OutboxRelay, Pacing, start_publisher
from app.transports import release, select_transport

SERVICE = "relay"


def create_relay_app(settings: Settings) -> FastAPI:
    transport = select_transport(settings)
    if transport.embeds_consumers or not settings.database_url.startswith("postgresql"):
        raise ValueError(
            "the relay runs as its own service with PostgreSQL (DATABASE_URL) and "
            "EVENT_TRANSPORT=kafka or USE_DAPR=true; otherwise it runs inside `taskflow serve`"
        )
    engine = make_engine(settings.database_url, echo=settings.db_echo)
    publisher = transport.publisher()
    sidecar = transport.sidecar()
    relay = OutboxRelay(engine, publisher, pacing=Pacing.from_settings(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await start_publisher(publisher)
        try:
            async with running([relay.run]) as live:
                app.state.liveness = live
                yield
        finally:
            relay.close()
            await release(engine=engine, sidecar=sidecar, publisher=publisher)

    app = service_app(
        title="Taskflow outbox relay",
        service=SERVICE,
        settings=settings,
        engine=engine,
        lifespan=lifespan,
        readiness=sidecar.checks,
    )
    return app
