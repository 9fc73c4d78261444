"""The cached user behaves as one read by a closed session: its own instance per request, and
a change to it saves that change only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from app.api.user_cache import UserCache
from app.core.db import make_engine
from app.models.user import User


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'users.db'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _user(engine: Engine) -> User:
    user = User(email="a@example.com", name="A", timezone="Europe/Paris", password_hash="h")
    with Session(engine) as session:
        session.add(user)
        session.commit()
        session.refresh(user)
        session.expunge(user)
    return user


def test_a_cached_user_is_a_detached_copy_per_call(engine: Engine) -> None:
    stored = _user(engine)
    cache = UserCache(engine)
    assert cache.cached(stored.id) is None
    loaded = cache.load(stored.id)
    first, second = cache.cached(stored.id), cache.cached(stored.id)
    assert loaded is not None and first is not None and second is not None
    state = inspect(first)
    assert first is not second and state is not None and state.detached
    assert first.model_dump() == stored.model_dump()


def test_a_change_to_a_cached_user_saves_that_change_and_is_forgotten(engine: Engine) -> None:
    stored = _user(engine)
    cache = UserCache.of(engine)
    cache.load(stored.id)
    user = cache.cached(stored.id)
    assert user is not None
    with Session(engine) as session:
        session.add(user)  # as the services do with the request's user
        user.name = "B"
        session.commit()
    assert cache.cached(stored.id) is None  # the flush listener forgot it
    with Session(engine) as session:
        saved = session.get(User, stored.id)
        assert saved is not None
        assert (saved.name, saved.email, saved.timezone) == ("B", "a@example.com", "Europe/Paris")
