"""Chat conversations in a Dapr state store (state.postgresql on the real PostgreSQL, and
state.redis): they outlive the app and its sidecar; ETags guard concurrent writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.core.config import Settings
from app.main import create_app
from app.models.conversation import Conversation
from app.transports.dapr.client import DaprClient, DaprConflict
from infra.dapr import components
from infra.dapr.components import Manifest
from tests.dapr.conftest import Mesh
from tests.services.postgres import PostgresServer
from tests.utils.users import AuthedUser, signup


@pytest.fixture(params=["postgresql", "redis"])
def state_resources(request: pytest.FixtureRequest, secrets_file: Path) -> list[Manifest]:
    """The `statestore` component (its secrets from a local-file secret store)."""
    store = components.secretstore_component(
        "local-file", options={"secretsFile": str(secrets_file)}
    )
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database("taskflow_dapr_state")
        secrets_file.write_text(json.dumps({components.STATE_CONNECTION_KEY: url}))
        return [store, components.state_component()]
    redis = request.getfixturevalue("redis_server")
    redis_state = components.state_component("redis", address=redis.address)
    secrets_file.write_text("{}")
    return [store, redis_state]


def _chat(api: TestClient, user: AuthedUser, message: str, conversation: int | None) -> int:
    response = api.post(
        f"/api/{user.id}/chat",
        json={"message": message, "conversation_id": conversation},
        headers=user.headers,
    )
    assert response.status_code == 200, response.text
    conversation_id: int = response.json()["conversation_id"]
    return conversation_id


def _history(api: TestClient, user: AuthedUser, conversation: int) -> list[tuple[str, str]]:
    response = api.get(
        f"/api/{user.id}/conversations/{conversation}/messages", headers=user.headers
    )
    assert response.status_code == 200, response.text
    return [(m["role"], m["content"]) for m in response.json()]


def test_conversations_survive_app_and_sidecar_restart(
    state_resources: list[Manifest],
    mesh: Mesh,
    dapr_settings: Callable[..., Settings],
    engine: Engine,
) -> None:
    sidecar, _ = mesh.service("taskflow-api", state_resources)
    with TestClient(create_app(dapr_settings(sidecar.http_port))) as api:
        user = signup(api)
        conversation = _chat(api, user, "show my tasks", None)
        before = _history(api, user, conversation)
    assert [role for role, _ in before] == ["user", "assistant"]
    # Stored through Dapr, not in the app's own table.
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Conversation)).one() == 0

    sidecar.stop()
    restarted, _ = mesh.service("taskflow-api", state_resources)
    with TestClient(create_app(dapr_settings(restarted.http_port))) as api:
        listed = api.get(f"/api/{user.id}/conversations", headers=user.headers).json()
        assert [(c["id"], c["title"]) for c in listed] == [(conversation, "show my tasks")]
        assert _history(api, user, conversation) == before
        assert _chat(api, user, "add task water the plants", conversation) == conversation
        after = _history(api, user, conversation)
        stranger = signup(api)
        hidden = api.get(f"/api/{stranger.id}/conversations", headers=stranger.headers).json()
    assert after[:2] == before and len(after) == 4
    assert after[2] == ("user", "add task water the plants")
    assert hidden == []


async def test_stale_etag_is_refused_on_save_and_delete(
    state_resources: list[Manifest], mesh: Mesh
) -> None:
    sidecar, _ = mesh.service("taskflow-api", state_resources)
    async with DaprClient(http_port=sidecar.http_port) as dapr:
        store = components.STATESTORE
        await dapr.save_state(store, "etag-probe", {"n": 1})
        first = await dapr.get_state(store, "etag-probe")
        assert first is not None and first.value == {"n": 1} and first.etag
        await dapr.save_state(store, "etag-probe", {"n": 2}, etag=first.etag)
        with pytest.raises(DaprConflict):
            await dapr.save_state(store, "etag-probe", {"n": 3}, etag=first.etag)
        with pytest.raises(DaprConflict):
            await dapr.delete_state(store, "etag-probe", etag=first.etag)
        current = await dapr.get_state(store, "etag-probe")
        assert current is not None and current.value == {"n": 2}
        await dapr.delete_state(store, "etag-probe", etag=current.etag)
        assert await dapr.get_state(store, "etag-probe") is None
