"""Due reminders fire exactly once with EVENT_TRANSPORT=kafka, two reminders replicas racing.

Without Dapr there is no cron binding to call /reminder-check, so the reminders service must
schedule the check itself, with one replica at a time doing it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import pytest

from tests.chaos.invariants import converge, wait_for
from tests.chaos.stack import Stack
from tests.chaos.workload import Record, signup

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.timeout(900)]


def _notifications(stack: Stack, task_ids: list[int]) -> dict[int, int]:
    with psycopg.connect(stack.database_url, connect_timeout=3) as conn:
        rows = conn.execute(
            "SELECT task_id, count(*) FROM notifications WHERE task_id = ANY(%s) GROUP BY task_id",
            (task_ids,),
        ).fetchall()
    return dict(rows)


def test_due_reminders_fire_exactly_once_in_kafka_mode(stack: Stack) -> None:
    assert stack.api is not None
    second = stack.add_consumer("reminders", replica=1)
    try:
        [user] = signup(stack.api.url, 1)
        # Due in a minute, reminded five minutes before: the reminder is due now.
        due = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
        task_ids = []
        with httpx.Client(base_url=stack.api.url, timeout=10, headers=user.headers) as http:
            for i in range(5):
                response = http.post(
                    f"/api/{user.id}/tasks",
                    json={"title": f"remind me {i}", "due_at": due, "remind_before_minutes": 5},
                )
                assert response.status_code == 201, response.text
                task_ids.append(response.json()["id"])
        wait_for(
            lambda: len(_notifications(stack, task_ids)) == len(task_ids),
            within=60,
            what="a notification for every due reminder",
        )
        converge(stack, Record())  # every reminder event consumed, nothing left in flight
        assert _notifications(stack, task_ids) == dict.fromkeys(task_ids, 1)
    finally:
        second.stop()
        del stack.consumers["reminders-1"]
