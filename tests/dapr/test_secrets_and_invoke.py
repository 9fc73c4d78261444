"""Secrets, the cron binding and service invocation through real sidecars, and the import
rule of Dapr mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.config import Settings
from app.main import create_app
from app.models.outbox import OutboxMessage
from app.models.user import User
from app.transports.dapr.client import invoke_url
from app.transports.dapr.secrets import DATABASE_URL_SECRET
from app.web.proxy import create_web_app
from infra.dapr import components
from infra.dapr.components import Manifest
from tests.conftest import TEST_SECRET
from tests.dapr.conftest import Mesh
from tests.services.kafka import pick_free_ports
from tests.utils.waiting import eventually

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["local-file", "local-env"])
def secret_store(
    request: pytest.FixtureRequest, secrets_file: Path, postgres_url: str
) -> tuple[Manifest, dict[str, str]]:
    """A secret store holding database-url, and the environment its sidecar needs."""
    if request.param == "local-file":
        secrets_file.write_text(json.dumps({DATABASE_URL_SECRET: postgres_url}))
        options = {"secretsFile": str(secrets_file)}
        return components.secretstore_component("local-file", options=options), {}
    store = components.secretstore_component("local-env")
    return store, {DATABASE_URL_SECRET: postgres_url}


@pytest.fixture
def serve_process() -> Iterator[Callable[[dict[str, str]], str]]:
    """`taskflow serve` as its own process (the real CLI path); returns its URL."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(env: dict[str, str]) -> str:
        port = pick_free_ports(1)[0]
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from app.cli import main; main()",
                "serve",
                "--port",
                str(port),
            ],
            env={**base, **env},
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        procs.append(proc)
        return f"http://127.0.0.1:{port}"

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ok(url: str) -> httpx.Response | None:
    try:
        answer = httpx.get(url, timeout=2)
    except httpx.HTTPError:
        return None
    return answer if answer.status_code == 200 else None


def test_database_url_from_secret_store_and_readyz_reports_it(
    secret_store: tuple[Manifest, dict[str, str]],
    mesh: Mesh,
    serve_process: Callable[[dict[str, str]], str],
    engine: Engine,
) -> None:
    manifest, sidecar_env = secret_store
    sidecar, _ = mesh.service("taskflow-api", [manifest], env=sidecar_env)
    url = serve_process(
        {
            "USE_DAPR": "true",
            "DAPR_HTTP_PORT": str(sidecar.http_port),
            "JWT_SECRET": TEST_SECRET,
            "ENVIRONMENT": "local",
        }
    )
    ready = eventually(lambda: _ok(f"{url}/readyz"), timeout=60, interval=0.2)
    assert ready is not None and ready.json() == {"status": "ok", "database": "ok", "dapr": "ok"}
    # The database it connected to is the PostgreSQL named only in the secret store.
    signup = httpx.post(
        f"{url}/api/auth/signup",
        json={"email": "secret@example.com", "password": "correct-horse", "name": "S"},
    )
    assert signup.status_code == 201, signup.text
    with Session(engine) as session:
        assert session.exec(select(User).where(User.email == "secret@example.com")).one()


def test_readyz_reports_sidecar_down(
    mesh: Mesh, dapr_settings: Callable[..., Settings], engine: Engine
) -> None:
    from fastapi.testclient import TestClient

    sidecar, _ = mesh.service("taskflow-api", [])
    with TestClient(create_app(dapr_settings(sidecar.http_port))) as api:
        assert api.get("/readyz").json()["dapr"] == "ok"
        sidecar.stop()
        answer = api.get("/readyz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "database": "ok", "dapr": "unreachable"}


def _reminders_fired(engine: Engine, task_id: int) -> int:
    """`due` reminder events recorded for the task (creating it records `scheduled`)."""
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(col(OutboxMessage.topic) == "reminders"))
        data = [json.loads(row.payload)["data"] for row in rows]
    return sum(1 for d in data if d["task_id"] == task_id and d["event_type"] == "due")


def _binding_calls(url: str) -> float:
    total = 0.0
    for line in httpx.get(f"{url}/metrics").text.splitlines():
        if line.startswith("http_requests_total{") and 'route="/reminder-check"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_cron_binding_fires_due_reminder_once(
    mesh: Mesh, dapr_settings: Callable[..., Settings], engine: Engine
) -> None:
    binding = components.reminder_binding(schedule="@every 1s")
    # reminder_check_seconds is moot in Dapr mode (no in-process scheduler): only the
    # binding can fire the reminder.
    _, api = mesh.service("taskflow-api", [binding], lambda port: create_app(dapr_settings(port)))
    assert api is not None
    client = httpx.Client(base_url=api.url)
    email = "cron@example.com"
    body = {"email": email, "password": "correct-horse", "name": "C"}
    auth = client.post("/api/auth/signup", json=body).json()
    headers = {"Authorization": f"Bearer {auth['access_token']}"}
    due = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()
    task = client.post(
        f"/api/{auth['user']['id']}/tasks",
        json={"title": "call mum", "due_at": due, "remind_before_minutes": 5},
        headers=headers,
    ).json()

    eventually(lambda: _reminders_fired(engine, task["id"]) == 1, timeout=20)
    calls = _binding_calls(api.url)
    eventually(lambda: _binding_calls(api.url) >= calls + 2, timeout=20)
    assert _reminders_fired(engine, task["id"]) == 1
    fetched = client.get(f"/api/{auth['user']['id']}/tasks/{task['id']}", headers=headers)
    assert fetched.json()["reminder_sent"] is True


def test_web_reaches_api_through_invocation_with_callers_token(
    mesh: Mesh, dapr_settings: Callable[..., Settings], engine: Engine
) -> None:
    mesh.service("taskflow-api", [], lambda port: create_app(dapr_settings(port)))
    _, web = mesh.service(
        "taskflow-web",
        [],
        lambda port: create_web_app(invoke_url("taskflow-api", http_port=port)),
    )
    assert web is not None
    client = httpx.Client(base_url=web.url, timeout=10)
    assert client.get("/readyz").json() == {"status": "ok", "api": "ok"}
    body = {"email": "web@example.com", "password": "correct-horse", "name": "W"}
    auth = client.post("/api/auth/signup", json=body)
    assert auth.status_code == 201, auth.text
    user_id, token = auth.json()["user"]["id"], auth.json()["access_token"]
    tasks = f"/api/{user_id}/tasks"

    created = client.post(
        tasks, json={"title": "via dapr"}, headers={"Authorization": f"Bearer {token}"}
    )
    listed = client.get(tasks, headers={"Authorization": f"Bearer {token}"})
    anonymous = client.get(tasks)
    assert created.status_code == 201, created.text
    assert [t["title"] for t in listed.json()] == ["via dapr"]
    assert anonymous.status_code == 401


def _modules_after_import(env: dict[str, str]) -> set[str]:
    code = (
        "import sys\n"
        "from app.core.config import Settings\n"
        "from app.main import create_app\n"
        "from app.consumer_main import create_consumer_app\n"
        "settings = Settings()\n"
        "create_app(settings)\n"
        "create_consumer_app(settings, 'audit')\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("USE_DAPR", "EVENT_"))}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DATABASE_URL": "sqlite://", **env},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return set(out.split())


CLIENTS = {"aiokafka", "kafka", "redis", "boto3", "botocore", "confluent_kafka"}


def test_dapr_mode_imports_no_broker_cache_or_cloud_client() -> None:
    dapr = _modules_after_import({"USE_DAPR": "true"})
    kafka = _modules_after_import({"EVENT_TRANSPORT": "kafka"})
    assert "app.transports.dapr.client" in dapr
    assert CLIENTS & dapr == set()
    # The check can tell: Kafka mode does load its client.
    assert "aiokafka" in kafka
