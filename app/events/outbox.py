"""The transactional outbox: events are written in the same transaction as the change."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlmodel import Session

from app.core.logging import correlation_id_var
from app.core.tracing import TRACEPARENT, current_traceparent
from app.events.schemas import DomainEvent
from app.events.transport import HEADER_CORRELATION_ID, Message
from app.repositories import outbox as rows


def enqueue_all(session: Session, messages: Sequence[tuple[Message, str]]) -> None:
    """Adds (message, outbox id) pairs to the caller's transaction, in one INSERT; they are
    published only if that transaction commits."""
    rows.add_messages(
        session=session,
        messages=[
            {
                "topic": message.topic,
                "key": message.key or "",
                "event_id": outbox_id,
                "payload": message.value.decode(),
                "correlation_id": message.headers.get(HEADER_CORRELATION_ID),
                "traceparent": message.headers.get(TRACEPARENT),
            }
            for message, outbox_id in messages
        ],
    )
    # Tells the relay (after commit) that there is something to publish now.
    session.info["outbox_pending"] = True


def enqueue(session: Session, message: Message, *, outbox_id: str) -> None:
    enqueue_all(session, [(message, outbox_id)])


def record_all(session: Session, events: Sequence[DomainEvent]) -> None:
    """Records domain events with the correlation id and trace context of what runs: a
    request (set by its middleware) or an event being handled (set by the consumer)."""
    headers: dict[str, str] = {}
    correlation = correlation_id_var.get()
    if correlation:
        headers[HEADER_CORRELATION_ID] = correlation
    traceparent = current_traceparent()
    if traceparent:
        headers[TRACEPARENT] = traceparent
    enqueue_all(
        session,
        [
            (
                Message(
                    topic=event.topic,
                    key=event.key,
                    value=json.dumps(event.cloud_event(), separators=(",", ":")).encode(),
                    headers=headers,
                ),
                str(event.event_id),
            )
            for event in events
        ],
    )


def record(session: Session, event: DomainEvent) -> None:
    record_all(session, [event])
