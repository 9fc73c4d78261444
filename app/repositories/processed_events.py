"""SQL for the processed_events table: which consumer has applied which event."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models.processed_event import ProcessedEvent


def is_processed(*, session: Session, consumer: str, event_id: str) -> bool:
    return session.get(ProcessedEvent, (consumer, event_id)) is not None


def processed_among(*, session: Session, consumer: str, event_ids: list[str]) -> set[str]:
    stmt = select(ProcessedEvent.event_id).where(
        ProcessedEvent.consumer == consumer, col(ProcessedEvent.event_id).in_(event_ids)
    )
    return set(session.exec(stmt).all())


def record_processed(*, session: Session, consumer: str, event_ids: list[str]) -> None:
    """Records the ids not recorded yet, in one commit; if another replica recorded some
    meanwhile, falls back to one commit per id (each may then be a harmless duplicate)."""
    fresh = set(event_ids) - processed_among(
        session=session, consumer=consumer, event_ids=event_ids
    )
    session.add_all(ProcessedEvent(consumer=consumer, event_id=e) for e in fresh)
    try:
        session.commit()
        return
    except IntegrityError:
        session.rollback()
    for event_id in fresh:
        session.add(ProcessedEvent(consumer=consumer, event_id=event_id))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
