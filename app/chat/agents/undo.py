"""Undo: the agent's own last changes reversed through the same tools (so the same services,
validation and events), newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.chat.agents.base import ToolRunner
from app.chat.agents.conversation import Change, State
from app.chat.agents.replies import describe

_RESTORED = ("title", "description", "priority", "tags", "due_at", "recurrence")


def _reverse(tools: ToolRunner, change: Change, moved: dict[int, int], now: datetime) -> str:
    """Reverses one change; moved maps a deleted task's id to the id it came back as."""
    call, before = change.call, change.before
    if call.name == "add_task":
        task_id = moved.get(call.result["id"], call.result["id"])
        outcome = tools("delete_task", {"task_id": task_id})
        return f"removed “{call.result['title']}” again" if outcome.ok else ""
    if before is None:
        return ""
    task_id = moved.get(before["id"], before["id"])
    if call.name == "update_task":
        fields = {k: before.get(k) for k in call.arguments if k != "task_id"}
        outcome = tools("update_task", {"task_id": task_id, **fields})
    elif call.name == "complete_task":
        args = {"task_id": task_id, "completed": bool(before.get("completed"))}
        outcome = tools("complete_task", args)
    else:
        restored: dict[str, Any] = {k: before[k] for k in _RESTORED if before.get(k) is not None}
        restored["remind_before_minutes"] = before.get("remind_before_minutes")
        outcome = tools("add_task", restored)
        if outcome.ok:
            moved[before["id"]] = outcome.result["id"]
            if before.get("completed"):
                tools("complete_task", {"task_id": outcome.result["id"]})
            return f"brought back {describe(outcome.result, now)}"
    return f"put back {describe(outcome.result, now)}" if outcome.ok else ""


def undo(tools: ToolRunner, state: State, count: int, now: datetime) -> str:
    groups = state.undoable[-count:] if count > 0 else []
    if not groups:
        return "There's nothing of mine to undo in this conversation."
    moved: dict[int, int] = {}
    done = [
        line
        for group in reversed(groups)
        for change in reversed(group)
        if (line := _reverse(tools, change, moved, now))
    ]
    if not done:
        return "I couldn't undo that, sorry; nothing changed."
    note = "" if len(groups) == count else f" (there were only {len(groups)} to undo)"
    return "Undone" + note + ": " + "; ".join(done) + "."
