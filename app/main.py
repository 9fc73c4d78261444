"""The API application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api.errors import install_error_handlers
from app.api.main import api_router
from app.core.config import Settings
from app.core.db import make_engine


def create_app(settings: Settings) -> FastAPI:
    engine = make_engine(settings.database_url, echo=settings.db_echo)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Taskflow",
        version="0.1.0",
        description="Tasks with priorities, tags, search, due dates, recurrence and reminders.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Total-Count", "X-Correlation-ID"],
    )
    install_error_handlers(app)
    app.include_router(api_router)
    return app
