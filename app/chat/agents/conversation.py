"""What the built-in agent knows from the conversation so far, rebuilt every turn.

The server keeps nothing between turns: the state is a fold over the stored turns, each
user message read again with the same interpret() the live turn used, and each reply's
tool calls and results. From it come the tasks "it" and "the second one" point at, the
question the agent is waiting on, the last change (for "no, friday") and what undo reverses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from app.chat.agents.base import ToolCall, Turn
from app.chat.parsing.commands import (
    ActOnTask,
    Command,
    ListTasks,
    NotUnderstood,
    TaskRef,
    parse,
    reference,
)
from app.chat.parsing.dialogue import (
    Bulk,
    Correction,
    Selection,
    Undo,
    is_foreign,
    read_answer,
    read_bulk,
    read_correction,
    read_selection,
    read_undo,
    small_talk,
    strip_polite,
)

MUTATING = ("add_task", "update_task", "complete_task", "delete_task")
_AGAIN = re.compile(
    r"(and|also|now|then|plus|same for|same with)\s+(?P<ref>.+?)(\s+(too|as well))?", re.IGNORECASE
)


@dataclass(frozen=True, kw_only=True)
class Answer:
    """A plain yes or no."""

    yes: bool


@dataclass(frozen=True, kw_only=True)
class Select:
    """An answer to the agent's 'which one?'."""

    selection: Selection


@dataclass(frozen=True, kw_only=True)
class SmallTalk:
    reply: str


@dataclass(frozen=True, kw_only=True)
class Foreign:
    pass


Intent = Command | Bulk | Correction | Undo | Answer | Select | SmallTalk | Foreign


@dataclass(frozen=True, kw_only=True)
class Pending:
    """A question the agent asked and waits on: which task (clarify) or yes/no (confirm)."""

    kind: Literal["clarify", "confirm"]
    command: ActOnTask | Bulk
    candidates: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class Change:
    """One change the agent made, with the task as it was before (None for an add)."""

    call: ToolCall
    before: dict[str, Any] | None


@dataclass(kw_only=True)
class State:
    focus: tuple[int, ...] = ()
    """The tasks the last turn acted on, or else showed."""
    listed: tuple[int, ...] = ()
    """The last list shown, in the order shown: what ordinals count in."""
    pending: Pending | None = None
    last_change: tuple[int, frozenset[str]] | None = None
    """The one task the last add/update touched, and the fields it set."""
    known: dict[int, dict[str, Any]] = field(default_factory=dict)
    """The latest copy of every task seen in a tool result."""
    undoable: list[list[Change]] = field(default_factory=list)
    """The agent's changes, one group per turn, oldest first."""
    last_command: ActOnTask | None = None
    """The last command that changed a task: 'and the second one' repeats it."""


def interpret(message: str, state: State, now: datetime) -> Intent:
    """Reads one message in the light of the conversation; now is in the user's timezone."""
    text = strip_polite(message).rstrip(".! ")
    pending = state.pending
    if pending is not None:
        answer = read_answer(text)
        if answer is not None:
            return Answer(yes=answer)
        if pending.kind == "clarify":
            selection = read_selection(text, now)
            if selection is not None:
                return Select(selection=selection)
    if state.last_command is not None and (again := _AGAIN.fullmatch(text)):
        ref = reference(again["ref"])
        if ref is not None:
            return replace(state.last_command, ref=ref)
    if (undo := read_undo(text)) is not None:
        return undo
    if (reply := small_talk(text)) is not None:
        return SmallTalk(reply=reply)
    if read_answer(text) is not None:
        return SmallTalk(reply="Okay.")
    if is_foreign(text):
        return Foreign()
    if (bulk := read_bulk(text, now)) is not None:
        return bulk
    correction = read_correction(text, now)
    if correction is not None:
        if correction.value is None and correction.rest:
            command = parse(correction.rest, now)
            if not isinstance(command, NotUnderstood):
                return command
        return correction
    command = parse(text, now)
    if pending is not None and pending.kind == "clarify" and isinstance(command, NotUnderstood):
        return Select(selection=Selection(words=text))
    return command


def pointed(ref: TaskRef, state: State) -> tuple[int, ...]:
    """The tasks a reference back into the conversation can mean (one when it is clear)."""
    if ref.kind == "pronoun":
        return state.focus
    if ref.kind == "ordinal":
        assert ref.index is not None
        listed = state.listed or state.focus
        if -len(listed) <= ref.index < len(listed):
            return (listed[ref.index],)
        return listed
    return state.listed or state.focus


def _ids(calls: Sequence[ToolCall], names: tuple[str, ...]) -> list[int]:
    ids: list[int] = []
    for call in calls:
        if call.name not in names or not isinstance(call.result, dict) or "error" in call.result:
            continue
        task_id = call.result.get("id") if call.name == "add_task" else call.arguments["task_id"]
        if isinstance(task_id, int) and task_id not in ids:
            ids.append(task_id)
    return ids


def _listed(calls: Sequence[ToolCall]) -> tuple[int, ...] | None:
    lists = [c for c in calls if c.name == "list_tasks" and "tasks" in (c.result or {})]
    return tuple(t["id"] for t in lists[-1].result["tasks"]) if lists else None


def _remember(state: State, calls: Sequence[ToolCall]) -> list[Change]:
    """Updates what is known of each task; returns the changes with their before-states."""
    changes: list[Change] = []
    for call in calls:
        result = call.result if isinstance(call.result, dict) else {}
        if call.name in MUTATING and "error" not in result:
            task_id = call.arguments.get("task_id")
            before = state.known.get(task_id) if isinstance(task_id, int) else None
            changes.append(Change(call=call, before=dict(before) if before else None))
        if call.name == "delete_task" and "error" not in result:
            state.known.pop(call.arguments["task_id"], None)
        for task in result.get("tasks", [result] if "title" in result else []):
            if isinstance(task, dict) and "id" in task:
                state.known[task["id"]] = task
    return changes


def advance(state: State, intent: Intent, calls: Sequence[ToolCall]) -> State:
    """The state after a turn with this intent made these calls."""
    before_pending = state.pending
    changes = _remember(state, calls)
    acted = _ids(calls, MUTATING)
    shown = _listed(calls)
    new = replace(state, pending=None)
    if isinstance(intent, Undo):
        del new.undoable[len(new.undoable) - min(intent.count, len(new.undoable)) :]
        new.last_change = None
    elif changes:
        new.undoable.append(changes)
        edits = [c for c in changes if c.call.name in ("add_task", "update_task")]
        if len(acted) == 1 and edits:
            fields = frozenset(k for c in edits for k in c.call.arguments if k != "task_id")
            new.last_change = (acted[0], fields)
        else:
            new.last_change = None
    if acted:
        new.focus = tuple(acted)
        if isinstance(intent, ActOnTask):
            new.last_command = intent
        elif isinstance(intent, Select) and before_pending is not None:
            command = before_pending.command
            new.last_command = command if isinstance(command, ActOnTask) else None
        return new
    waiting = _waiting(state, before_pending, intent, shown)
    if waiting is not None:
        new.pending = waiting
        new.focus = new.listed = waiting.candidates
    elif shown is not None and isinstance(intent, ListTasks):
        new.focus = new.listed = shown
    return new


def _waiting(
    state: State, pending: Pending | None, intent: Intent, shown: tuple[int, ...] | None
) -> Pending | None:
    """The question a turn that changed nothing left open, if any."""
    if isinstance(intent, Bulk) and shown:
        return Pending(kind="confirm", command=intent, candidates=shown)
    if isinstance(intent, Select) and pending is not None:
        return pending
    if not isinstance(intent, ActOnTask):
        return None
    if intent.ref.kind == "plural":
        candidates = pointed(intent.ref, state)
        return (
            Pending(kind="confirm", command=intent, candidates=candidates) if candidates else None
        )
    if intent.ref.points_back:
        candidates = pointed(intent.ref, state)
        return (
            Pending(kind="clarify", command=intent, candidates=candidates)
            if len(candidates) > 1
            else None
        )
    if intent.ref.kind == "name" and shown is not None and len(shown) > 1:
        return Pending(kind="clarify", command=intent, candidates=shown)
    return None


def replay(history: Sequence[Turn], now: datetime) -> State:
    """The state after the stored turns (user message, then the reply and its tool calls)."""
    state = State()
    turns = list(history)
    for index, turn in enumerate(turns):
        if turn.role != "user":
            continue
        reply = turns[index + 1] if index + 1 < len(turns) else None
        calls = reply.tool_calls if reply is not None and reply.role == "assistant" else ()
        state = advance(state, interpret(turn.content, state, now), calls)
    return state
