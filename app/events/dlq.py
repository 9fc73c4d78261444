"""Listing and replaying dead letters. Replay goes through the outbox, so it works the same
on every transport and the relay keeps per-user order."""

import uuid
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.consumers.dead_letters import DeadLetterRecord
from app.core.db import utcnow
from app.core.metrics import DLQ_DEPTH
from app.events import outbox
from app.events.schemas import TOPICS, dlq_topic
from app.models.consumer_state import DeadLetter


class DeadLetterSummary(BaseModel):
    id: int
    topic: str
    consumer: str
    event_id: str | None
    error: str
    failed_at: datetime
    replayed_at: datetime | None


def list_dead_letters(
    *, session: Session, topic: str | None = None, include_replayed: bool = False
) -> list[DeadLetterSummary]:
    stmt = select(DeadLetter).order_by(col(DeadLetter.id))
    if topic is not None:
        stmt = stmt.where(
            DeadLetter.topic == (topic if topic.endswith("-dlq") else dlq_topic(topic))
        )
    if not include_replayed:
        stmt = stmt.where(col(DeadLetter.replayed_at).is_(None))
    summaries = []
    for row in session.exec(stmt).all():
        assert row.id is not None
        record = DeadLetterRecord.model_validate_json(row.payload)
        summaries.append(
            DeadLetterSummary(
                id=row.id,
                topic=row.topic,
                consumer=row.consumer,
                event_id=record.event_id,
                error=row.error,
                failed_at=row.failed_at,
                replayed_at=row.replayed_at,
            )
        )
    return summaries


def replay(*, session: Session, ids: list[int] | None = None, topic: str | None = None) -> int:
    """Re-queues dead letters on their source topic; consumers that already applied an
    event skip it by event_id, so replaying too much is harmless."""
    pending = list_dead_letters(session=session, topic=topic)
    chosen = [s for s in pending if ids is None or s.id in ids]
    for summary in chosen:
        row = session.get(DeadLetter, summary.id)
        assert row is not None
        record = DeadLetterRecord.model_validate_json(row.payload)
        # The outbox id only has to be unique; consumers read the event id from the payload.
        outbox.enqueue(session, record.replay_message(), outbox_id=str(uuid.uuid4()))
        row.replayed_at = utcnow()
        session.add(row)
    session.commit()
    return len(chosen)


def report_depth(*, session: Session) -> None:
    stmt = (
        select(DeadLetter.topic, func.count())
        .where(col(DeadLetter.replayed_at).is_(None))
        .group_by(col(DeadLetter.topic))
    )
    depth = {topic: 0 for topic in map(dlq_topic, TOPICS)}
    depth.update({topic: int(n) for topic, n in session.exec(stmt).all()})
    for topic, n in depth.items():
        DLQ_DEPTH.labels(topic=topic).set(n)
