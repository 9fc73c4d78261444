"""The transactional outbox: events are written in the same transaction as the change."""

import json

from sqlmodel import Session

from app.core.logging import correlation_id_var
from app.core.tracing import TRACEPARENT, current_traceparent
from app.events.schemas import DomainEvent
from app.events.transport import HEADER_CORRELATION_ID, Message
from app.repositories import outbox as rows


def enqueue(session: Session, message: Message, *, outbox_id: str) -> None:
    """Adds a message to the caller's transaction; it is published only if that commits."""
    rows.add_message(
        session=session,
        topic=message.topic,
        key=message.key or "",
        event_id=outbox_id,
        payload=message.value.decode(),
        correlation_id=message.headers.get(HEADER_CORRELATION_ID),
        traceparent=message.headers.get(TRACEPARENT),
    )
    # Tells the relay (after commit) that there is something to publish now.
    session.info["outbox_pending"] = True


def record(session: Session, event: DomainEvent, *, correlation_id: str | None = None) -> None:
    """Records a domain event with the current request's correlation id and trace context."""
    headers: dict[str, str] = {}
    correlation = correlation_id or correlation_id_var.get()
    if correlation:
        headers[HEADER_CORRELATION_ID] = correlation
    traceparent = current_traceparent()
    if traceparent:
        headers[TRACEPARENT] = traceparent
    payload = json.dumps(event.cloud_event(), separators=(",", ":")).encode()
    enqueue(
        session,
        Message(topic=event.topic, key=event.key, value=payload, headers=headers),
        outbox_id=str(event.event_id),
    )
