"""The five faults against real processes, each under a live write load.

After every fault the same invariants must come to hold (tests/chaos/invariants.py): each
acknowledged write audited exactly once and in per-user order, each completed recurring task
with exactly one successor, the outbox drained, every group's committed offsets at the log
end, every consumer alive and healthy.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from tests.chaos.conftest import CONSUMER_STALL_SECONDS
from tests.chaos.invariants import converge, outbox_pending, scrape, wait_for
from tests.chaos.stack import Stack
from tests.chaos.workload import Record, Workload, signup

# Starting seven processes on a busy machine takes minutes; the faults themselves about one each.
pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(900)]

USERS = 10
# Writes acknowledged before the fault, during it (where the API can take them) and after.
PHASE_WRITES = 60
OUTAGE_SECONDS = 12


def _writes_beyond(workload: Workload, count: int, *, within: float = 90.0) -> None:
    target = workload.record.total + count
    wait_for(lambda: workload.record.total >= target, within=within, what=f"{count} more writes")


def _run(stack: Stack, fault: Callable[[Workload], None]) -> Record:
    assert stack.api is not None
    workload = Workload(stack.api.url, signup(stack.api.url, USERS))
    workload.start()
    try:
        _writes_beyond(workload, PHASE_WRITES)
        fault(workload)
        _writes_beyond(workload, PHASE_WRITES)
    finally:
        record = workload.stop()
    assert not record.rejected, record.rejected[:5]
    took = converge(stack, record)
    print(
        f"\n{record.total} acknowledged writes, {record.unacknowledged} unacknowledged, "
        f"{len(record.completed_recurring)} recurring completions; converged in {took:.1f}s"
    )
    return record


def test_consumer_sigkill_and_restart_loses_and_duplicates_nothing(stack: Stack) -> None:
    def fault(workload: Workload) -> None:
        victims = [stack.consumers["audit"], stack.consumers["recurring"]]
        for service in victims:
            service.kill()
        _writes_beyond(workload, PHASE_WRITES)  # the backlog grows while they are gone
        for service in victims:
            service.start()

    _run(stack, fault)


def test_broker_outage_loses_and_duplicates_nothing(stack: Stack) -> None:
    def fault(workload: Workload) -> None:
        stack.broker.stop()
        _writes_beyond(workload, PHASE_WRITES)  # the outbox keeps the API writing
        time.sleep(OUTAGE_SECONDS)  # the outage itself, not an assertion
        stack.broker.start()

    _run(stack, fault)


def test_api_sigkill_and_restart_loses_and_duplicates_nothing(stack: Stack) -> None:
    assert stack.api is not None
    api = stack.api

    def fault(_: Workload) -> None:
        api.kill()  # mid-request and mid-relay: published-but-unmarked rows go out again
        api.start()

    _run(stack, fault)


def test_database_restart_loses_and_duplicates_nothing(stack: Stack) -> None:
    def fault(_: Workload) -> None:
        stack.postgres.stop()
        stack.postgres.start()

    _run(stack, fault)


def test_database_outage_with_consumer_backlog_is_survived_and_reported(stack: Stack) -> None:
    assert stack.api is not None
    audit = stack.consumers["audit"]
    audit.pause()  # a backlog builds up for the audit consumer alone
    signup_users = signup(stack.api.url, 2)
    workload = Workload(stack.api.url, signup_users, pace=0.05)
    workload.start()
    try:
        wait_for(lambda: workload.record.total >= 20, within=60, what="a backlog of 20")
    finally:
        record = workload.stop()
    wait_for(lambda: outbox_pending(stack) == 0, within=60, what="the backlog on the broker")

    stack.postgres.stop()
    audit.resume()  # it polls its backlog while the database is away
    began = time.monotonic()
    # The API answers a 503 the client may retry, not a 500.
    owner = signup_users[0]
    listed = httpx.get(f"{stack.api.url}/api/{owner.id}/tasks", headers=owner.headers)
    assert listed.status_code == 503 and listed.headers["Retry-After"], listed.text
    assert "unreachable" in listed.json()["detail"]
    # No progress for CONSUMER_STALL_SECONDS while lag > 0: its health must say so.
    wait_for(
        lambda: audit.health() == 503,
        within=OUTAGE_SECONDS,
        what=f"audit /healthz 503 after {CONSUMER_STALL_SECONDS}s without progress",
    )
    assert scrape(f"{audit.url}/metrics", "taskflow_consumer_lag") > 0
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - began)))  # the rest of the outage
    stack.postgres.start()

    converge(stack, record)
    assert scrape(f"{audit.url}/metrics", "taskflow_consumer_lag") == 0
