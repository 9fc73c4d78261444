"""Archiving the audit log to S3-compatible storage, against moto's server mode."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models.activity import ActivityEntry
from app.models.user import User
from app.services.archive import archive_activity
from tests.services.postgres import _free_port

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def s3() -> Iterator[Any]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket="audit")
    yield client
    server.stop()


def _seed(engine: Engine, ages_days: list[int]) -> uuid.UUID:
    user = User(email=f"{uuid.uuid4()}@example.com", name="A", password_hash="x")
    with Session(engine) as session:
        session.add(user)
        session.commit()
        for i, age in enumerate(ages_days):
            session.add(
                ActivityEntry(
                    event_id=str(uuid.uuid4()),
                    user_id=user.id,
                    task_id=i + 1,
                    topic="task-events",
                    event_type="created",
                    changes=json.dumps({"title": f"t{i}"}),
                    occurred_at=NOW - timedelta(days=age),
                )
            )
        session.commit()
        return user.id


def test_archive_moves_only_old_entries(engine: Engine, s3: Any) -> None:
    user_id = _seed(engine, [200, 100, 91, 89, 1])
    with Session(engine) as session:
        moved = archive_activity(
            session=session, store=s3, bucket="audit", older_than_days=90, now=NOW
        )
        left = session.exec(select(ActivityEntry.task_id)).all()
    assert moved == 3 and sorted(left) == [4, 5]
    keys = [
        o["Key"]
        for o in s3.list_objects_v2(Bucket="audit", Prefix=f"activity/{user_id}/")["Contents"]
    ]
    assert len(keys) == 1
    lines = s3.get_object(Bucket="audit", Key=keys[0])["Body"].read().decode().splitlines()
    assert [json.loads(line)["task_id"] for line in lines] == [1, 2, 3]
    assert json.loads(lines[0])["changes"] == {"title": "t0"}


def test_archive_with_nothing_old_is_a_noop(engine: Engine, s3: Any) -> None:
    _seed(engine, [1, 2])
    with Session(engine) as session:
        assert (
            archive_activity(session=session, store=s3, bucket="audit", older_than_days=90, now=NOW)
            == 0
        )
