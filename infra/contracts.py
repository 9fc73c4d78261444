"""The names infra shares with the app: one definition, in app/contracts.py."""

from __future__ import annotations

from app.contracts import (
    ALL_TOPICS,
    APP_NAMESPACE,
    DAPR_PUBSUB,
    DAPR_REMINDER_BINDING,
    DAPR_RESILIENCY,
    DAPR_SECRET_STORE,
    DAPR_STATE_STORE,
    DLQ_TOPICS,
    SERVICES,
    TOPICS,
    Service,
)

__all__ = [
    "ALL_TOPICS",
    "APP_NAMESPACE",
    "DAPR_PUBSUB",
    "DAPR_REMINDER_BINDING",
    "DAPR_RESILIENCY",
    "DAPR_SECRET_STORE",
    "DAPR_STATE_STORE",
    "DLQ_TOPICS",
    "SERVICES",
    "TOPICS",
    "Service",
]
