"""The real Dapr sidecar beside real Taskflow services: each test starts the sidecars it
needs (random loopback ports, resources rendered from infra/dapr/components.py) and stops
them after. Without daprd the tests fail under CI and skip locally."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from app.core.config import Settings
from app.core.db import make_engine
from infra.dapr.components import Manifest
from tests.conftest import TEST_APP_API_TOKEN, _wipe, make_settings
from tests.services.dapr import DaprSidecar, daprd_path
from tests.services.kafka import KafkaBroker, pick_free_ports
from tests.services.redis import RedisServer
from tests.utils.infra import unavailable
from tests.utils.live_server import LiveServer

AppFactory = Callable[[int], FastAPI]


@pytest.fixture(autouse=True)
def _daprd_built() -> None:
    if not daprd_path().is_file():
        unavailable(f"{daprd_path()} is missing; run scripts/deps/daprd.sh")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    try:
        server = RedisServer()
    except RuntimeError as exc:
        unavailable(str(exc))
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[KafkaBroker]:
    try:
        # Dapr's Kafka component expects the topics to exist (Strimzi creates them in the
        # cluster); here the broker creates them on first use.
        broker = KafkaBroker(extra_properties={"auto.create.topics.enable": "true"})
    except RuntimeError as exc:
        unavailable(str(exc))
    broker.start()
    yield broker
    broker.close()


class Mesh:
    """Services with their sidecars, stopped in reverse order at the end of the test."""

    def __init__(self) -> None:
        self._stack = ExitStack()

    def service(
        self,
        app_id: str,
        resources: list[Manifest],
        app: AppFactory | None = None,
        *,
        env: dict[str, str] | None = None,
    ) -> tuple[DaprSidecar, LiveServer | None]:
        """Starts daprd (and, given `app(dapr_http_port)`, the app behind it on a port the
        sidecar knows); returns once the sidecar's /v1.0/healthz answers."""
        app_port = pick_free_ports(1)[0] if app is not None else None
        # The sidecar authenticates its calls to the app (the reminder-check cron binding).
        env = {"APP_API_TOKEN": TEST_APP_API_TOKEN, **(env or {})}
        sidecar = DaprSidecar(app_id, resources, app_port=app_port, env=env)
        self._stack.callback(sidecar.close)
        sidecar.start()
        server = None
        if app is not None:
            server = LiveServer(app(sidecar.http_port), port=app_port)
            server.start()
            self._stack.callback(server.stop)
        sidecar.wait_ready()
        return sidecar, server

    def close(self) -> None:
        self._stack.close()


@pytest.fixture
def mesh() -> Iterator[Mesh]:
    stack = Mesh()
    yield stack
    stack.close()


@pytest.fixture
def dapr_settings(postgres_url: str) -> Callable[..., Settings]:
    """Settings of a service in Dapr mode whose sidecar listens on `port`."""

    def build(port: int, **overrides: object) -> Settings:
        return make_settings(postgres_url, use_dapr=True, dapr_http_port=port, **overrides)

    return build


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    _wipe(engine)
    engine.dispose()


@pytest.fixture
def secrets_file(tmp_path: Path) -> Path:
    return tmp_path / "secrets.json"
