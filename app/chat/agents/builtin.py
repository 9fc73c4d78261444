"""The built-in agent: no model, no network. Reads the message with app.chat.parsing in the
light of the conversation (app.chat.agents.conversation) and acts through the same tools
as the model-backed agent. A target it cannot pin down gets a question, never a guess."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import singledispatchmethod
from typing import Any

from app.chat.agents.base import AgentRequest, ToolRunner
from app.chat.agents.conversation import (
    Answer,
    Foreign,
    Intent,
    Pending,
    Select,
    SmallTalk,
    State,
    interpret,
    pointed,
    replay,
)
from app.chat.agents.replies import describe, numbered, plain_error
from app.chat.agents.undo import undo
from app.chat.parsing.commands import (
    ActOnTask,
    AddTask,
    Help,
    ListTasks,
    NotUnderstood,
    TagCommand,
    TaskRef,
    When,
)
from app.chat.parsing.dates import finalize
from app.chat.parsing.dialogue import Bulk, Correction, Undo
from app.core.db import utcnow
from app.domain.timezones import parse_timezone

EXAMPLES = (
    "- buy milk tomorrow at 5pm #groceries p2, remind me an hour before\n"
    "- pay rent every month on the 15th\n"
    "- what's due this week?\n"
    "- mark buy milk done\n"
    "- move the dentist to friday 3pm\n"
    "- complete all tasks tagged work\n"
    "- undo"
)
NOT_UNDERSTOOD = "Sorry, I didn't understand that. You can say things like:\n" + EXAMPLES
HELP = "I can add, find, change, complete and delete your tasks. Try:\n" + EXAMPLES
FOREIGN = (
    "Sorry, I only understand English for now, so I haven't changed anything. "
    "Could you say it in English? For example: 'add dentist tomorrow at 10am'."
)
_FIXED_REPLIES = {Foreign: FOREIGN, Help: HELP, NotUnderstood: NOT_UNDERSTOOD}
_LOOKUP_STATUS = {"complete": "open", "reopen": "completed"}
_VERB = {"complete": "complete", "reopen": "reopen", "delete": "delete", "update": "change"}
_BULK_VERB = {"complete": "complete", "reopen": "reopen", "delete": "delete", "tag": "tag"}


class BuiltinAgent:
    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self.clock = clock

    def respond(self, request: AgentRequest) -> str:
        now = self.clock().astimezone(parse_timezone(request.timezone))
        state = replay(request.history, now)
        intent = interpret(request.message, state, now)
        return _Turn(request.tools, state, now).run(intent)


class _Turn:
    """One reply: the intent carried out against the tools, with the conversation's state."""

    def __init__(self, tools: ToolRunner, state: State, now: datetime) -> None:
        self.tools = tools
        self.state = state
        self.now = now

    def describe(self, task: dict[str, Any]) -> str:
        return describe(task, self.now)

    @singledispatchmethod
    def run(self, intent: Intent) -> str:
        """Carries the intent out: each kind of intent registers its handler below (a test
        checks every kind has one)."""
        raise TypeError(f"no handler for {type(intent).__name__}")

    @run.register
    def add(self, command: AddTask) -> str:
        outcome = self.tools("add_task", command.args)
        if not outcome.ok:
            return f"I couldn't add that task: {plain_error(outcome.result['error'])}."
        return f"Added {self.describe(outcome.result)}."

    @run.register
    def undo_last(self, command: Undo) -> str:
        return undo(self.tools, self.state, command.count, self.now)

    @run.register
    def small_talk(self, intent: SmallTalk) -> str:
        return intent.reply

    @run.register
    def fixed_reply(self, intent: Foreign | Help | NotUnderstood) -> str:
        return _FIXED_REPLIES[type(intent)]

    # --- listing
    @run.register
    def list_tasks(self, command: ListTasks) -> str:
        return self.show(command.args)

    def show(self, args: dict[str, Any]) -> str:
        outcome = self.tools("list_tasks", args)
        if not outcome.ok:
            return f"I couldn't list your tasks: {plain_error(outcome.result['error'])}."
        tasks: list[dict[str, Any]] = outcome.result["tasks"]
        total: int = outcome.result["total"]
        if not tasks:
            return "No tasks match."
        lines = [f"{total} task{'s' if total != 1 else ''}:", numbered(tasks, self.now)]
        if total > len(tasks):
            lines.append(f"(showing {len(tasks)} of {total})")
        return "\n".join(lines)

    # --- finding the target
    def lookup(self, command: ActOnTask) -> tuple[list[dict[str, Any]], str]:
        """The tasks the command means (one, or several for 'both'), or what to ask instead."""
        ref = command.ref
        if ref.kind == "id":
            assert ref.task_id is not None
            return self.fetch([ref.task_id])
        if ref.points_back:
            candidates = pointed(ref, self.state)
            if ref.kind == "both" and len(candidates) == 2:
                return self.fetch(list(candidates))
            if len(candidates) == 1 and ref.kind in ("pronoun", "ordinal"):
                return self.fetch(list(candidates))
            return [], self.which(command, candidates)
        args: dict[str, Any] = {"q": ref.text}
        if command.action in _LOOKUP_STATUS:
            args["status"] = _LOOKUP_STATUS[command.action]
        outcome = self.tools("list_tasks", args)
        if not outcome.ok:
            return [], f"I couldn't search your tasks: {plain_error(outcome.result['error'])}."
        found: list[dict[str, Any]] = outcome.result["tasks"]
        exact = [t for t in found if t["title"].casefold() == ref.text.casefold()]
        if len(found) == 1 or len(exact) == 1:
            return [(exact or found)[0]], ""
        if not found:
            kind = {"complete": "an open task", "reopen": "a completed task"}.get(
                command.action, "a task"
            )
            return (
                [],
                f"I couldn't find {kind} matching '{ref.text}', so I left everything as it was.",
            )
        return [], (
            f"More than one task matches '{ref.text}'. Which one do you mean?\n"
            f"{numbered(found[:10], self.now)}\nYou can say 'the first one', or name it more fully."
        )

    def fetch(self, ids: list[int]) -> tuple[list[dict[str, Any]], str]:
        tasks = []
        for task_id in ids:
            outcome = self.tools("get_task", {"task_id": task_id})
            if not outcome.ok:
                return [], f"I couldn't find task {task_id}; it may have been deleted."
            tasks.append(outcome.result)
        return tasks, ""

    def which(self, command: ActOnTask | Bulk, candidates: tuple[int, ...]) -> str:
        verb = _VERB.get(command.action, "change")
        options = [self.state.known[i] for i in candidates if i in self.state.known]
        if isinstance(command, ActOnTask) and command.ref.kind == "plural" and options:
            return self.confirm_text(command.action, options)
        if not options:
            return (
                f"I'm not sure which task you want me to {verb}; I haven't shown or changed "
                "any yet in this conversation. Could you name it?"
            )
        return (
            f"Which one do you want me to {verb}?\n{numbered(options, self.now)}\n"
            "You can say 'the first one', or name it."
        )

    # --- acting on tasks
    @run.register
    def act(self, command: ActOnTask) -> str:
        if command.ref.kind == "plural":
            return self.which(command, pointed(command.ref, self.state))
        tasks, problem = self.lookup(command)
        if not tasks:
            return problem
        return "\n".join(self.apply(command, task) for task in tasks)

    def apply(self, command: ActOnTask, task: dict[str, Any]) -> str:
        task_id = task["id"]
        if command.action == "complete":
            outcome = self.tools("complete_task", {"task_id": task_id})
            done = "Marked {} as done."
        elif command.action == "reopen":
            outcome = self.tools("complete_task", {"task_id": task_id, "completed": False})
            done = "Reopened {}."
        elif command.action == "delete":
            outcome = self.tools("delete_task", {"task_id": task_id})
            if outcome.ok:
                return f"Deleted “{task['title']}”."
            done = ""
        else:
            changes, problem = self.changes(command, task)
            if problem:
                return problem
            outcome = self.tools("update_task", {"task_id": task_id, **changes})
            done = "Updated {}."
        if not outcome.ok:
            return f"I couldn't do that: {plain_error(outcome.result['error'])}."
        return done.format(self.describe(outcome.result))

    def changes(self, command: ActOnTask, task: dict[str, Any]) -> tuple[dict[str, Any], str]:
        changes = dict(command.changes)
        when = changes.get("due_at")
        if isinstance(when, When):
            changes["due_at"] = self.merge_due(when, task.get("due_at")).isoformat()
        if command.add_tags or command.remove_tags:
            current: list[str] = list(task.get("tags", []))
            removed = {t.casefold() for t in command.remove_tags}
            kept = [t for t in current if t.casefold() not in removed]
            known = {t.casefold() for t in kept}
            changes["tags"] = kept + [t for t in command.add_tags if t.casefold() not in known]
        due = changes.get("due_at", task.get("due_at"))
        if changes.get("remind_before_minutes") is not None and due is None:
            return {}, (
                f"“{task['title']}” has no due date, so there's no time to remind you before. "
                "When is it due?"
            )
        if changes.get("recurrence") and due is None:
            return {}, f"“{task['title']}” needs a due date before it can repeat. When is it due?"
        return changes, ""

    def merge_due(self, when: When, current: str | None) -> datetime:
        """The date or time said, keeping the task's own time or date where it said none."""
        if current is None:
            return finalize(when.value, when.has_time)
        was = datetime.fromisoformat(current).astimezone(self.now.tzinfo)
        if not when.has_date:
            value = was.replace(hour=when.value.hour, minute=when.value.minute)
        elif not when.has_time:
            value = when.value.replace(hour=was.hour, minute=was.minute)
        else:
            value = when.value
        return value.replace(second=0, microsecond=0)

    # --- corrections, questions and answers
    @run.register
    def correct(self, correction: Correction) -> str:
        last = self.state.last_change
        if last is None:
            return (
                "I'm not sure what to change: I haven't added or changed a task in this "
                "conversation yet. Could you say the whole thing?"
            )
        value = correction.value
        if value is None:
            return "What should I change it to? For example 'friday 3pm' or 'p2'."
        changes = dict(value.changes)
        if value.duration is not None:
            if "remind_before_minutes" not in last[1]:
                return "Do you mean a reminder that long before? Say e.g. '15 minutes before'."
            changes["remind_before_minutes"] = value.duration
        command = ActOnTask(
            action="update",
            ref=TaskRef(text=str(last[0]), task_id=last[0], kind="id"),
            changes=changes,
            add_tags=value.add_tags,
        )
        return self.act(command)

    @run.register
    def select(self, intent: Select) -> str:
        pending = self.state.pending
        assert pending is not None
        chosen = self.choose(intent, pending)
        if not chosen:
            return self.which(pending.command, pending.candidates)
        if isinstance(pending.command, Bulk):
            return self.which(pending.command, pending.candidates)
        return "\n".join(self.act(_retarget(pending.command, task_id)) for task_id in chosen)

    def choose(self, intent: Select, pending: Pending) -> list[int]:
        selection = intent.selection
        candidates = [self.state.known[i] for i in pending.candidates if i in self.state.known]
        ref = selection.ref
        if ref is not None:
            if ref.kind == "id":
                assert ref.task_id is not None
                return [ref.task_id]
            if ref.kind == "ordinal":
                assert ref.index is not None
                if -len(candidates) <= ref.index < len(candidates):
                    return [candidates[ref.index]["id"]]
                return []
            if ref.kind == "both" and len(candidates) == 2:
                return [t["id"] for t in candidates]
            return []
        if selection.day is not None:
            day = selection.day.date()
            hits = [
                t["id"]
                for t in candidates
                if t.get("due_at")
                and datetime.fromisoformat(t["due_at"]).astimezone(self.now.tzinfo).date() == day
            ]
            return hits if len(hits) == 1 else []
        words = selection.words.casefold()
        if not words:
            return []
        exact = [t["id"] for t in candidates if t["title"].casefold() == words]
        hits = [
            t["id"]
            for t in candidates
            if words in t["title"].casefold() or words in [g.casefold() for g in t["tags"]]
        ]
        return exact or (hits if len(hits) == 1 else [])

    @run.register
    def answer(self, intent: Answer) -> str:
        pending = self.state.pending
        if pending is None:
            return "Okay."
        if not intent.yes:
            return "Okay, I left everything as it was."
        if pending.kind == "clarify":
            return self.which(pending.command, pending.candidates)
        lines = [self.bulk_one(pending.command, task_id) for task_id in pending.candidates]
        return "\n".join(lines)

    # --- bulk
    @run.register
    def bulk(self, command: Bulk) -> str:
        outcome = self.tools("list_tasks", command.query)
        if not outcome.ok:
            return f"I couldn't search your tasks: {plain_error(outcome.result['error'])}."
        tasks: list[dict[str, Any]] = outcome.result["tasks"]
        if not tasks:
            return "No tasks match that, so nothing changed."
        return self.confirm_text(command.action, tasks)

    def confirm_text(self, action: str, tasks: list[dict[str, Any]]) -> str:
        verb = _BULK_VERB.get(action, "change")
        count = f"{len(tasks)} task{'s' if len(tasks) != 1 else ''}"
        return (
            f"That would {verb} {count}:\n{numbered(tasks, self.now)}\nShall I go ahead? (yes / no)"
        )

    def bulk_one(self, command: ActOnTask | Bulk, task_id: int) -> str:
        task = self.state.known.get(
            task_id, {"id": task_id, "title": f"task {task_id}", "tags": []}
        )
        if isinstance(command, ActOnTask):
            return self.apply(command, task)
        if command.action == "tag":
            tagged = ActOnTask(
                action="update",
                ref=TaskRef(text=str(task_id), task_id=task_id, kind="id"),
                add_tags=command.add_tags,
            )
            return self.apply(tagged, task)
        return self.apply(
            ActOnTask(
                action=command.action, ref=TaskRef(text=str(task_id), task_id=task_id, kind="id")
            ),
            task,
        )

    # --- tags
    @run.register
    def tag(self, command: TagCommand) -> str:
        if command.action == "create":
            outcome = self.tools("create_tag", {"name": command.name})
            return (
                f"Created the tag #{outcome.result['name']}."
                if outcome.ok
                else f"I couldn't create that tag: {plain_error(outcome.result['error'])}."
            )
        listed = self.tools("list_tags", {})
        tags: list[dict[str, Any]] = listed.result.get("tags", []) if listed.ok else []
        if command.action == "list":
            if not tags:
                return "You have no tags yet."
            return "Your tags: " + ", ".join(f"#{t['name']} ({t['task_count']})" for t in tags)
        match = [t for t in tags if t["name"].casefold() == command.name.casefold()]
        if not match:
            return f"You have no tag named '{command.name}'."
        tag_id = match[0]["id"]
        if command.action == "rename":
            outcome = self.tools("rename_tag", {"tag_id": tag_id, "name": command.new_name})
            done = f"Renamed #{command.name} to #{command.new_name}."
        else:
            outcome = self.tools("delete_tag", {"tag_id": tag_id})
            done = f"Deleted the tag #{command.name}."
        return (
            done if outcome.ok else f"I couldn't do that: {plain_error(outcome.result['error'])}."
        )


def _retarget(command: ActOnTask | Bulk, task_id: int) -> ActOnTask:
    assert isinstance(command, ActOnTask)
    return ActOnTask(
        action=command.action,
        ref=TaskRef(text=str(task_id), task_id=task_id, kind="id"),
        changes=command.changes,
        add_tags=command.add_tags,
        remove_tags=command.remove_tags,
    )
