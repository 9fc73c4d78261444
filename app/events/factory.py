"""Builds the configured transport. Kafka's client is imported only in Kafka mode."""

from app.core.config import Settings
from app.events.inprocess import InProcessBus
from app.events.transport import Publisher


def build_publisher(settings: Settings, bus: InProcessBus | None = None) -> Publisher:
    if settings.event_transport == "kafka":
        from app.events.kafka import KafkaPublisher

        return KafkaPublisher(settings)
    if settings.event_transport == "dapr":
        from app.dapr.publisher import DaprPublisher

        return DaprPublisher(settings)
    return bus or InProcessBus()
