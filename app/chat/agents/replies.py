"""How the built-in agent shows tasks and errors: plain words, dates in the user's timezone,
no RRULEs and no tool or field names."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from app.chat.parsing.wording import describe_due, describe_reminder, describe_rule

_FIELD_WORDS = {
    "due_at": "due date",
    "remind_before_minutes": "reminder",
    "recurrence": "repeat",
    "task_id": "task",
    "tag_id": "tag",
}


def describe(task: dict[str, Any], now: datetime) -> str:
    """“buy milk” (due Tomorrow 17:00, every Monday, priority 1, reminder 1 hour before, #home)."""
    parts = []
    if task.get("due_at"):
        parts.append("due " + describe_due(datetime.fromisoformat(task["due_at"]), now))
    if task.get("recurrence"):
        parts.append(describe_rule(task["recurrence"]))
    if task.get("priority") and task["priority"] != "P4":
        parts.append(f"priority {task['priority'][1:]}")
    if task.get("remind_before_minutes") is not None:
        parts.append("reminder " + describe_reminder(task["remind_before_minutes"]))
    if task.get("tags"):
        parts.append(" ".join(f"#{t}" for t in task["tags"]))
    if task.get("completed"):
        parts.append("done")
    title = f"“{task['title']}”"
    return f"{title} ({', '.join(parts)})" if parts else title


def numbered(tasks: list[dict[str, Any]], now: datetime) -> str:
    return "\n".join(f"{n}. {describe(task, now)}" for n, task in enumerate(tasks, 1))


def plain_error(message: str) -> str:
    """A tool's error in words a person reads ('due_at' -> 'due date')."""
    for name, words in _FIELD_WORDS.items():
        message = re.sub(rf"\b{name}\b", words, message)
    return message.rstrip(".")
