"""A consumer as its own service (`taskflow consume <name>`): Kafka loop or Dapr routes,
plus health, metrics and, for realtime, the WebSocket clients connect to."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlmodel import Session

from app.api.errors import install_error_handlers
from app.api.middleware import RequestContextMiddleware
from app.api.routes import health, ops, updates
from app.consumers.dead_letters import BrokerAndDatabaseSink
from app.consumers.registry import build_consumer
from app.core.config import Settings
from app.core.db import make_engine
from app.core.tracing import configure_tracing, instrument
from app.dapr.client import DaprClient
from app.events.dlq import report_depth
from app.events.factory import build_publisher
from app.realtime.hub import ConnectionHub

logger = logging.getLogger(__name__)


def create_consumer_app(settings: Settings, name: str) -> FastAPI:
    if settings.event_transport == "inprocess":
        raise ValueError(
            "with EVENT_TRANSPORT=inprocess the consumers run inside `taskflow serve`; "
            "set EVENT_TRANSPORT=kafka or USE_DAPR=true to run them as services"
        )
    engine = make_engine(settings.database_url, echo=settings.db_echo)
    hub = ConnectionHub()
    publisher = build_publisher(settings)
    dapr = DaprClient.from_settings(settings) if settings.event_transport == "dapr" else None
    consumer = build_consumer(
        name,
        settings=settings,
        engine=engine,
        dead_letters=BrokerAndDatabaseSink(publisher, engine),
        hub=hub,
    )

    def report_dlq_depth_once() -> None:
        # The session lives and dies in the worker thread: a shutdown that cancels the
        # await must not close it under a running query.
        with Session(engine) as session:
            report_depth(session=session)

    async def report_dlq_depth() -> None:
        while True:
            try:
                await asyncio.to_thread(report_dlq_depth_once)
            except Exception:
                logger.warning("could not report DLQ depth", exc_info=True)
            await asyncio.sleep(15)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(report_dlq_depth())]
        if settings.event_transport == "kafka":
            from app.events.kafka import KafkaConsumerLoop

            app.state.loop = KafkaConsumerLoop(settings, consumer)
            tasks.append(asyncio.create_task(app.state.loop.run()))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await publisher.stop()
            if dapr is not None:
                await dapr.aclose()
            engine.dispose()

    app = FastAPI(title=f"Taskflow {name} consumer", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.hub = hub
    app.state.consumer = consumer
    app.state.dapr = dapr
    app.add_middleware(RequestContextMiddleware, service=name)
    install_error_handlers(app)
    configure_tracing(settings)
    instrument(app, engine, settings)
    app.include_router(health.router)
    app.include_router(ops.metrics_router)
    if settings.event_transport == "dapr":
        from app.events.dapr_subscriber import subscription_router

        app.include_router(subscription_router(consumer, settings))
    if name == "realtime":
        app.include_router(updates.router)
    return app
