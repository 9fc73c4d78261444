"""SQLite writers in one process take turns through a gate held from first write to commit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.core.db import make_engine
from app.core.sqlite_gate import gate_for


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path}/g.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    yield engine
    engine.dispose()


def test_gate_is_held_from_first_write_until_commit(engine: Engine) -> None:
    gate = gate_for(engine.url.database or "")
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM t"))
        assert not gate.locked()  # reads never take it
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert gate.locked()
        conn.commit()
        assert not gate.locked()
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))
        conn.rollback()
        assert not gate.locked()
        conn.execute(text("INSERT INTO t VALUES (3)"))
    assert not gate.locked()  # returned to the pool: rolled back, given back
