"""Names app and infra must agree on (docs/contracts.md), in one dependency-free module.

Imported by the app (topics, consumer names, app ids, Dapr component names, routes) and by
the Pulumi program (infra/contracts.py re-exports it), so the two agree by construction.
Only the standard library may be imported here: import-linter holds it to that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

APP_NAMESPACE = "taskflow"

TASK_EVENTS = "task-events"
REMINDERS = "reminders"
TASK_UPDATES = "task-updates"
TOPICS = (TASK_EVENTS, REMINDERS, TASK_UPDATES)


def dlq_topic(topic: str) -> str:
    return f"{topic}-dlq"


DLQ_TOPICS = tuple(dlq_topic(topic) for topic in TOPICS)
ALL_TOPICS = TOPICS + DLQ_TOPICS

# The consumer services, each run as `taskflow consume <name>` when events go through a broker.
CONSUMER_NAMES = ("recurring", "reminders", "audit", "realtime")

API_PORT = 8000
CONSUMER_PORT = 8001
WEB_PORT = 8080

# Dapr component names the code uses; infra/dapr/components.py declares the components.
DAPR_PUBSUB = "pubsub"
DAPR_STATE_STORE = "statestore"
DAPR_SECRET_STORE = "secretstore"
DAPR_REMINDER_BINDING = "reminder-check"
DAPR_RESILIENCY = "taskflow-resiliency"

# Routes the platform calls: probes, scraping, the cron binding, Dapr's subscription list.
HEALTH_ROUTE = "/healthz"
READY_ROUTE = "/readyz"
METRICS_ROUTE = "/metrics"
REMINDER_CHECK_ROUTE = f"/{DAPR_REMINDER_BINDING}"
DAPR_SUBSCRIBE_ROUTE = "/dapr/subscribe"


def app_id(service: str) -> str:
    """The Dapr app id (and Kubernetes name) of a service."""
    return f"{APP_NAMESPACE}-{service}"


@dataclass(frozen=True, kw_only=True)
class Service:
    name: str
    args: tuple[str, ...]
    port: int
    app_id: str
    image: Literal["api", "web"]
    # Settings this service needs beyond the shared ones (name, value).
    env: tuple[tuple[str, str], ...] = ()
    cpu_request: str = "50m"
    memory_request: str = "128Mi"
    cpu_limit: str = "500m"
    memory_limit: str = "256Mi"


def _consumer(name: str) -> Service:
    return Service(
        name=name, args=("consume", name), port=CONSUMER_PORT, app_id=app_id(name), image="api"
    )


API = Service(
    name="api",
    args=("serve",),
    port=API_PORT,
    app_id=app_id("api"),
    image="api",
    cpu_request="100m",
    memory_request="256Mi",
    cpu_limit="1",
    memory_limit="512Mi",
    # The relay service publishes the outbox, out of the way of request threads.
    env=(("OUTBOX_RELAY", "service"),),
)
RELAY = Service(
    name="relay", args=("relay",), port=CONSUMER_PORT, app_id=app_id("relay"), image="api"
)
SERVICES = (
    API,
    RELAY,
    *(_consumer(name) for name in CONSUMER_NAMES),
    Service(name="web", args=("web",), port=WEB_PORT, app_id=app_id("web"), image="web"),
)
