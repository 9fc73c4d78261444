"""The Todoist-style CSV export and import: a day without a time stays one."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.utils.users import create_task, signup


def test_csv_dates_keep_all_day_tasks_all_day_through_todoist_columns(client: TestClient) -> None:
    ada = signup(client, timezone="Europe/Berlin")
    create_task(client, ada, title="all day", due_at="2030-05-17T23:59:59")
    create_task(client, ada, title="at half nine", due_at="2030-05-17T09:30:00")
    exported = client.get(f"/api/{ada.id}/export", params={"format": "csv"}, headers=ada.headers)
    rows = {r["CONTENT"]: r for r in csv.DictReader(io.StringIO(exported.text))}
    assert rows["all day"]["DATE"] == "2030-05-17"
    assert rows["at half nine"]["DATE"] == "2030-05-17 09:30"

    # Todoist's own columns only (no DUE_AT): the date is read as Todoist would.
    todoist = io.StringIO()
    writer = csv.DictWriter(todoist, fieldnames=["TYPE", "CONTENT", "PRIORITY", "DATE", "TIMEZONE"])
    writer.writeheader()
    for row in rows.values():
        writer.writerow({k: row[k] for k in writer.fieldnames})
    bob = signup(client, timezone="Europe/Berlin")
    imported = client.post(
        f"/api/{bob.id}/import/todoist",
        content=todoist.getvalue(),
        headers={**bob.headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    due = {t["title"]: t["due_at"] for t in client.get(bob.tasks_url, headers=bob.headers).json()}
    assert due == {"all day": "2030-05-17T21:59:59Z", "at half nine": "2030-05-17T07:30:00Z"}
