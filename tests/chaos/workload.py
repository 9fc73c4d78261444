"""Users writing tasks while faults happen, and the client's record of every acknowledged write.

Each user is one thread writing in sequence (create, rename, and for recurring tasks complete);
a write counts as acknowledged only when the API answered 2xx. Refused connections, timeouts
and 5xx answers are not acknowledged: the change may or may not have happened, and the
invariants say nothing about it.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx

# Every third task recurs daily, so completing it asks the recurring consumer for a successor.
RECURRING_EVERY = 3


@dataclass(frozen=True, kw_only=True)
class Write:
    """An acknowledged write, named as the audit log would name its event."""

    event_type: str  # created | updated | completed
    task_id: int
    marker: str = ""  # the new title, for renames

    @property
    def key(self) -> str:
        return f"{self.event_type}:{self.task_id}:{self.marker}"


@dataclass(kw_only=True)
class User:
    id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(kw_only=True)
class Record:
    """Acknowledged writes per user, in acknowledgement order; failures counted by kind."""

    writes: dict[str, list[Write]] = field(default_factory=lambda: defaultdict(list))
    completed_recurring: list[int] = field(default_factory=list)
    unacknowledged: int = 0
    rejected: list[str] = field(default_factory=list)  # 4xx: a bug in the workload or the API
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ack(self, user: User, write: Write, *, recurring: bool = False) -> None:
        with self._lock:
            self.writes[user.id].append(write)
            if recurring and write.event_type == "completed":
                self.completed_recurring.append(write.task_id)

    def reject(self, what: str) -> None:
        with self._lock:
            self.rejected.append(what)

    def fail(self) -> None:
        with self._lock:
            self.unacknowledged += 1

    @property
    def total(self) -> int:
        return sum(len(w) for w in self.writes.values())


def signup(api_url: str, n: int) -> list[User]:
    users = []
    with httpx.Client(base_url=api_url, timeout=30) as client:
        for _ in range(n):
            response = client.post(
                "/api/auth/signup",
                json={
                    "email": f"chaos-{uuid.uuid4().hex[:12]}@example.com",
                    "password": "chaos-password-1",
                    "name": "Chaos",
                    "timezone": "UTC",
                },
            )
            response.raise_for_status()
            body = response.json()
            users.append(User(id=body["user"]["id"], token=body["access_token"]))
    return users


class Workload:
    """One writer thread per user until stop(); `pace` seconds between a user's writes."""

    def __init__(self, api_url: str, users: list[User], *, pace: float = 0.1) -> None:
        self.api_url = api_url
        self.users = users
        self.pace = pace
        self.record = Record()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(user,), daemon=True) for user in users
        ]

    def _send(
        self, client: httpx.Client, method: str, url: str, user: User, body: Any = None
    ) -> dict[str, Any] | None:
        try:
            response = client.request(method, url, json=body, headers=user.headers)
        except httpx.HTTPError:
            self.record.fail()
            return None
        if response.is_success:
            result: dict[str, Any] = response.json()
            return result
        if response.status_code < 500:
            self.record.reject(f"{method} {url}: {response.status_code} {response.text}")
        else:
            self.record.fail()
        return None

    def _run(self, user: User) -> None:
        tasks_url = f"/api/{user.id}/tasks"
        with httpx.Client(base_url=self.api_url, timeout=5) as client:
            n = 0
            while not self._stop.is_set():
                n += 1
                recurring = n % RECURRING_EVERY == 0
                body: dict[str, Any] = {"title": f"t{n}"}
                if recurring:
                    body |= {"due_at": "2030-01-01T09:00:00Z", "recurrence": "FREQ=DAILY"}
                created = self._send(client, "POST", tasks_url, user, body)
                if created is None:
                    self._stop.wait(self.pace)
                    continue
                task_id = int(created["id"])
                self.record.ack(user, Write(event_type="created", task_id=task_id))
                marker = f"r{n}-{uuid.uuid4().hex[:8]}"
                url = f"{tasks_url}/{task_id}"
                if self._send(client, "PATCH", url, user, {"title": marker}) is not None:
                    self.record.ack(
                        user, Write(event_type="updated", task_id=task_id, marker=marker)
                    )
                if recurring:
                    done = self._send(client, "PATCH", f"{url}/complete", user, {"completed": True})
                    if done is not None:
                        self.record.ack(
                            user, Write(event_type="completed", task_id=task_id), recurring=True
                        )
                self._stop.wait(self.pace)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> Record:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        return self.record
