"""Use cases called directly, in a session of their own, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.db import make_engine
from app.models.user import User
from tests.conftest import _wipe


@pytest.fixture
def service_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    # Before as well as after: the use cases' tests read whole tables (the outbox), and a
    # suite that did not clean up behind it must not decide what they see.
    _wipe(engine)
    yield engine
    _wipe(engine)
    engine.dispose()


@pytest.fixture
def session(service_engine: Engine) -> Iterator[Session]:
    with Session(service_engine) as session:
        yield session


def make_user(session: Session, *, timezone: str = "UTC") -> User:
    user = User(
        email=f"{uuid.uuid4().hex[:12]}@example.com",
        name="Ada",
        timezone=timezone,
        password_hash="not-used-by-these-tests",
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


@pytest.fixture
def user(session: Session) -> User:
    return make_user(session)
