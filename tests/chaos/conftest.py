"""One real stack for the chaos suite; each test first brings back what an earlier one broke."""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from tests.chaos.stack import Stack
from tests.utils.infra import unavailable

# Short enough that a test sees a stall while the database is down for ~12 s.
CONSUMER_STALL_SECONDS = 4


@pytest.fixture(scope="session")
def chaos_stack() -> Iterator[Stack]:
    try:
        stack = Stack(
            extra_env={
                "CONSUMER_STALL_SECONDS": str(CONSUMER_STALL_SECONDS),
                "REMINDER_CHECK_SECONDS": "1",
                # Every workload signs its users up from one address.
                "AUTH_RATE_LIMIT": "10000/minute",
            }
        )
    except RuntimeError as exc:
        unavailable(str(exc))
    try:
        stack.start()
        yield stack
    finally:
        stack.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # An expected failure (xfail) leaves the same mess as a failure.
    if report.when == "call" and (report.failed or hasattr(report, "wasxfail")):
        item.stash[FAILED] = True
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def stack(chaos_stack: Stack, request: pytest.FixtureRequest) -> Iterator[Stack]:
    chaos_stack.heal()
    yield chaos_stack
    if request.node.stash.get(FAILED, False):
        # A failed test may leave a process alive but stuck: start the next one afresh.
        chaos_stack.restart_consumers()
