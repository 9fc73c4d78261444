"""Fixtures for the Pulumi program tests: one mocked run per stack, shared by a module."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.infra.harness import Recorder, run_program

STACKS = ("minikube", "oke", "aks", "gke")


@pytest.fixture(autouse=True)
def event_loop_for_pulumi() -> Iterator[None]:
    """Pulumi's Outputs need the thread's current event loop; async tests elsewhere in the
    session (pytest-asyncio, asyncio.run) leave none behind, so each infra test gets one."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture(scope="session")
def deployed() -> Callable[[str], Recorder]:
    """Runs each stack once per session; tests only read the recording."""
    cache: dict[str, Recorder] = {}

    def get(stack: str) -> Recorder:
        if stack not in cache:
            cache[stack] = run_program(stack)
        return cache[stack]

    return get


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def observability_files(tmp_path: Path) -> Iterator[Path]:
    """A stand-in for infra/observability/ with one rule group and one dashboard."""
    (tmp_path / "dashboards").mkdir()
    (tmp_path / "alerts.yaml").write_text(
        "groups:\n- name: taskflow\n  rules:\n  - alert: TaskflowDown\n"
        '    expr: up{job="taskflow"} == 0\n    for: 5m\n'
    )
    (tmp_path / "dashboards" / "overview.json").write_text('{"title": "Taskflow overview"}')
    yield tmp_path
