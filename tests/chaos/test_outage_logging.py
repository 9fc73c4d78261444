"""A broker outage is reported, not shouted: the relay reports it once when its publish stalls
and once when it goes through, each with the backlog, and every process stays under a bounded
number of warning lines."""

from __future__ import annotations

import json
import time

import pytest

from tests.chaos.invariants import converge, wait_for
from tests.chaos.stack import Service, Stack
from tests.chaos.workload import Workload, signup

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(900)]

OUTAGE_SECONDS = 15
# Start and end lines, plus a few while it lasts (backoff: 0.5 s ... 30 s), per process.
MAX_LINES_PER_PROCESS = 20


def _lines_since(service: Service, start: int) -> list[dict[str, object]]:
    parsed = []
    for line in service.log_lines()[start:]:
        try:
            parsed.append(json.loads(line))
        except ValueError:
            parsed.append({"message": line})
    return parsed


def test_broker_outage_is_logged_at_a_bounded_rate(stack: Stack) -> None:
    assert stack.api is not None
    workload = Workload(stack.api.url, signup(stack.api.url, 2), pace=0.2)
    marks = {s.name: len(s.log_lines()) for s in stack.services}
    workload.start()
    try:
        stack.broker.stop()
        time.sleep(OUTAGE_SECONDS)  # the outage itself, with writes piling up in the outbox
        stack.broker.start()
        before = workload.record.total
        wait_for(lambda: workload.record.total > before + 10, within=60, what="writes after")
    finally:
        record = workload.stop()
    converge(stack, record)
    noisy = {}
    for service in stack.services:
        lines = [
            entry
            for entry in _lines_since(service, marks[service.name])
            # Outage reports are warnings and errors; lifecycle and traffic lines are INFO.
            if entry.get("level") in ("WARNING", "ERROR", "CRITICAL")
        ]
        if len(lines) > MAX_LINES_PER_PROCESS:
            noisy[service.name] = len(lines)
    assert not noisy, f"log lines during a {OUTAGE_SECONDS}s outage: {noisy}"
    relay = [
        entry
        for entry in _lines_since(stack.api, marks[stack.api.name])
        if "backlog" in entry  # the relay's outage reports carry it as a field
    ]
    messages = [str(entry["message"]) for entry in relay]
    starts = [m for m in messages if m.startswith(("publishing stalled", "publish failed"))]
    ends = [m for m in messages if m.startswith(("publishing resumed", "broker reachable"))]
    assert starts and starts[0].startswith("publishing stalled"), messages
    assert len(ends) == 1 and messages[-1] == ends[0], messages
