"""Moves old audit entries to S3-compatible object storage (OCI Object Storage speaks S3)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlmodel import Session

from app.core.db import utcnow
from app.models.activity import ActivityEntry
from app.repositories import activity

BATCH = 1000


class ObjectStore(Protocol):
    def put_object(self, *, Bucket: str, Key: str, Body: bytes, ContentType: str) -> Any: ...


def _line(entry: ActivityEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "event_id": entry.event_id,
        "user_id": str(entry.user_id),
        "task_id": entry.task_id,
        "topic": entry.topic,
        "event_type": entry.event_type,
        "changes": json.loads(entry.changes),
        "occurred_at": entry.occurred_at.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(),
    }


def archive_activity(
    *,
    session: Session,
    store: ObjectStore,
    bucket: str,
    older_than_days: int,
    now: datetime | None = None,
) -> int:
    """Uploads entries older than the cutoff as JSON Lines, one object per user and batch,
    then deletes them. Keys name the id range, so a retry after a failed delete overwrites
    the same object instead of duplicating it."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    archived = 0
    while True:
        entries = activity.oldest_before(session=session, cutoff=cutoff, limit=BATCH)
        if not entries:
            return archived
        by_user: dict[str, list[ActivityEntry]] = defaultdict(list)
        for entry in entries:
            by_user[str(entry.user_id)].append(entry)
        for user_id, rows in by_user.items():
            body = "\n".join(json.dumps(_line(r)) for r in rows).encode()
            key = f"activity/{user_id}/{rows[0].id:012d}-{rows[-1].id:012d}.jsonl"
            store.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/x-ndjson")
        activity.delete_entries(session=session, ids=[e.id for e in entries if e.id is not None])
        session.commit()
        archived += len(entries)
