"""SQLite writers in one process take turns through a gate held from first write to commit."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.core.db import make_engine
from app.core.sqlite_gate import Gate, gate_for
from tests.utils.waiting import eventually


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


def test_an_urgent_writer_goes_before_writers_that_waited_longer() -> None:
    gate = Gate()
    order: list[str] = []

    def write(name: str, *, urgent: bool) -> None:
        assert gate.acquire(timeout=30, urgent=urgent)
        order.append(name)
        gate.release()

    assert gate.acquire(timeout=1)
    requests = [
        threading.Thread(target=write, args=(f"request {i}",), kwargs={"urgent": False})
        for i in range(5)
    ]
    for thread in requests:
        thread.start()
    time.sleep(0.2)  # let them queue first; the outcome does not depend on it
    relay = threading.Thread(target=write, args=("relay",), kwargs={"urgent": True})
    relay.start()
    eventually(lambda: gate._urgent_waiting == 1)
    gate.release()
    for thread in (*requests, relay):
        thread.join(timeout=30)
    assert order[0] == "relay" and sorted(order[1:]) == [f"request {i}" for i in range(5)]


def test_an_urgent_writer_that_gives_up_lets_the_others_in() -> None:
    gate = Gate()
    assert gate.acquire(timeout=1)
    assert not gate.acquire(timeout=0.1, urgent=True)
    gate.release()
    assert gate.acquire(timeout=1)  # nobody is left counted as waiting
