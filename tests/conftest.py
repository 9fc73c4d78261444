"""Shared fixtures: each API test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from app.core import migrations
from app.core.config import Settings
from app.main import create_app
from tests.services.postgres import PostgresServer
from tests.utils.infra import unavailable

TEST_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"
# Dapr's APP_API_TOKEN: what the scheduler sends to POST /reminder-check.
TEST_APP_API_TOKEN = "test-dapr-app-api-token"
SCHEDULER = {"dapr-api-token": TEST_APP_API_TOKEN}


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer()
    except RuntimeError as exc:
        unavailable(str(exc))
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    url = postgres_server.create_database("taskflow_test")
    migrations.upgrade(url)
    return url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('sqlite')) / 'taskflow.db'}"
    migrations.upgrade(url)
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "jwt_secret": TEST_SECRET,
        "environment": "local",
        "app_api_token": TEST_APP_API_TOKEN,
    }
    values.update(overrides)
    return Settings.model_validate(values)


def _wipe(engine: Engine) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    engine: Engine = application.state.engine
    _wipe(engine)
    # The app's shutdown disposed its pool; the wipe opened a connection in a fresh one, which
    # would stay open (one per test: PostgreSQL's 200 connections ran out in a full run).
    engine.dispose()


@pytest.fixture
def engine(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
