"""Names from docs/contracts.md that the infrastructure must agree with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

APP_NAMESPACE = "taskflow"
TOPICS = ("task-events", "reminders", "task-updates")
DLQ_TOPICS = tuple(f"{topic}-dlq" for topic in TOPICS)
ALL_TOPICS = TOPICS + DLQ_TOPICS


@dataclass(frozen=True, kw_only=True)
class Service:
    name: str
    args: tuple[str, ...]
    port: int
    app_id: str
    image: Literal["api", "web"]
    cpu_request: str = "50m"
    memory_request: str = "128Mi"
    cpu_limit: str = "500m"
    memory_limit: str = "256Mi"


def _consumer(name: str) -> Service:
    return Service(
        name=name, args=("consume", name), port=8001, app_id=f"taskflow-{name}", image="api"
    )


SERVICES = (
    Service(
        name="api",
        args=("serve",),
        port=8000,
        app_id="taskflow-api",
        image="api",
        cpu_request="100m",
        memory_request="256Mi",
        cpu_limit="1",
        memory_limit="512Mi",
    ),
    _consumer("recurring"),
    _consumer("reminders"),
    _consumer("audit"),
    _consumer("realtime"),
    Service(name="web", args=("web",), port=8080, app_id="taskflow-web", image="web"),
)
