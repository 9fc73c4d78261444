"""The consumer side of Dapr pub/sub: the subscription list and one route per topic."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request

from app.consumers.base import Consumer, Outcome
from app.contracts import dlq_topic
from app.core.config import Settings
from app.events.transport import HEADER_CORRELATION_ID, Message, TransientError

# What Dapr should do with the message once our consumer has decided: dead letters are
# already parked (with their error context) by the consumer itself, so they count as done.
_DAPR_STATUS: dict[Outcome, str] = {
    "success": "SUCCESS",
    "duplicate": "SUCCESS",
    "skipped": "SUCCESS",
    "dlq": "SUCCESS",
    "retry": "RETRY",
}


def subscription_router(consumer: Consumer, settings: Settings) -> APIRouter:
    router = APIRouter(tags=["dapr"])

    @router.get("/dapr/subscribe")
    def subscribe() -> list[dict[str, str]]:
        return [
            {
                "pubsubname": settings.dapr_pubsub_name,
                "topic": topic,
                "route": f"/events/{topic}",
                "deadLetterTopic": dlq_topic(topic),
            }
            for topic in consumer.topics
        ]

    @router.post("/events/{topic}")
    async def receive(topic: str, request: Request) -> dict[str, str]:
        if topic not in consumer.topics:
            return {"status": "DROP"}
        body = await request.body()
        try:
            envelope = json.loads(body)
        except ValueError:
            envelope = {}
        headers = {"event_id": str(envelope.get("id", ""))}
        correlation = request.headers.get("x-correlation-id") or envelope.get("correlationid")
        if correlation:
            headers[HEADER_CORRELATION_ID] = str(correlation)
        key = envelope.get("partitionkey")
        try:
            outcome = await consumer.handle(
                Message(topic=topic, key=str(key) if key else None, value=body, headers=headers)
            )
        except TransientError:
            return {"status": "RETRY"}  # the database is away: Dapr delivers it again later
        return {"status": _DAPR_STATUS[outcome]}

    return router
