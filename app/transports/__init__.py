"""The event transports (in-process, Kafka, Dapr) behind one protocol, and the one place that
reads which is configured. Everything else asks the Transport it is handed, never the settings.

Each transport module owns its publisher, its consumer host, its dead-letter sink and its
reminder trigger; Kafka's and Dapr's clients are imported only when chosen.
"""

from __future__ import annotations

from app.core.config import Settings
from app.transports.base import ConsumerHost, Sidecar, Transport, release

__all__ = ["ConsumerHost", "Sidecar", "Transport", "release", "select_transport"]


def select_transport(settings: Settings) -> Transport:
    """The one lookup of the configured transport."""
    if settings.event_transport == "kafka":
        from app.transports.kafka import KafkaTransport

        return KafkaTransport(settings)
    if settings.event_transport == "dapr":
        from app.transports.dapr import DaprTransport

        return DaprTransport(settings)
    from app.transports.inprocess import InProcessTransport

    return InProcessTransport(settings)
