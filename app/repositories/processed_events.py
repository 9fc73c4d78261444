"""SQL for the processed_events table: which consumer has applied which event."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.core.db import utcnow
from app.models.processed_event import ProcessedEvent
from app.repositories.rows import insert_ignoring_duplicates


def is_processed(*, session: Session, consumer: str, event_id: str) -> bool:
    return session.get(ProcessedEvent, (consumer, event_id)) is not None


def processed_among(*, session: Session, consumer: str, event_ids: list[str]) -> set[str]:
    stmt = select(ProcessedEvent.event_id).where(
        ProcessedEvent.consumer == consumer, col(ProcessedEvent.event_id).in_(event_ids)
    )
    return set(session.exec(stmt).all())


def record_processed(*, session: Session, consumer: str, event_ids: list[str]) -> None:
    """Records the ids in the caller's transaction, beside the effects of their handlers (no
    commit); ids another replica recorded meanwhile are skipped."""
    now = utcnow()
    rows = [{"consumer": consumer, "event_id": e, "processed_at": now} for e in event_ids]
    insert_ignoring_duplicates(session, ProcessedEvent, rows, unique=["consumer", "event_id"])
