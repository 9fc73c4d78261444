"""The built-in agent: no model, no network. Reads the message with app.chat.parsing
and acts through the same tools as the model-backed agent."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.chat.agents.base import AgentRequest, ToolRunner
from app.chat.parsing.commands import (
    ActOnTask,
    AddTask,
    Command,
    Help,
    ListTasks,
    NotUnderstood,
    TagCommand,
    parse,
)
from app.core.db import utcnow
from app.domain.timezones import parse_timezone

EXAMPLES = (
    "- buy milk tomorrow at 5pm #groceries p2, remind me an hour before\n"
    "- pay rent monthly on the 15th\n"
    "- what's due this week?\n"
    "- show my p1 tasks tagged work\n"
    "- mark buy milk done\n"
    "- move the dentist to friday 3pm\n"
    "- rename buy milk to buy oat milk"
)
NOT_UNDERSTOOD = "Sorry, I didn't understand that. You can say things like:\n" + EXAMPLES
HELP = "I can add, find, change, complete and delete your tasks. Try:\n" + EXAMPLES
_LOOKUP_STATUS = {"complete": "open", "reopen": "completed"}
_DONE = {"complete": "Marked done", "reopen": "Reopened", "delete": "Deleted", "update": "Updated"}


def _when(value: str | None, tz_name: str) -> str:
    if value is None:
        return ""
    local = datetime.fromisoformat(value).astimezone(parse_timezone(tz_name))
    return local.strftime("%a %d %b %Y, %H:%M")


def describe(task: dict[str, Any], tz_name: str) -> str:
    parts = [f"#{task['id']} {task['title']}", task["priority"]]
    if task.get("due_at"):
        parts.append("due " + _when(task["due_at"], tz_name))
    if task.get("recurrence"):
        parts.append(f"repeats {task['recurrence']}")
    if task.get("remind_before_minutes") is not None:
        parts.append(f"reminder {task['remind_before_minutes']} min before")
    if task.get("tags"):
        parts.append(" ".join(f"#{t}" for t in task["tags"]))
    if task.get("completed"):
        parts.append("done")
    return " · ".join(parts)


class BuiltinAgent:
    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self.clock = clock

    def respond(self, request: AgentRequest) -> str:
        tz_name = request.timezone
        now = self.clock().astimezone(parse_timezone(tz_name))
        command = parse(request.message, now)
        return self._run(command, request.tools, tz_name)

    def _run(self, command: Command, tools: ToolRunner, tz: str) -> str:
        if isinstance(command, AddTask):
            outcome = tools("add_task", command.args)
            if not outcome.ok:
                return f"I couldn't add that task: {outcome.result['error']}"
            return "Added: " + describe(outcome.result, tz)
        if isinstance(command, ListTasks):
            return self._list(command, tools, tz)
        if isinstance(command, ActOnTask):
            return self._act(command, tools, tz)
        if isinstance(command, TagCommand):
            return self._tag(command, tools)
        if isinstance(command, Help):
            return HELP
        assert isinstance(command, NotUnderstood)
        return NOT_UNDERSTOOD

    def _list(self, command: ListTasks, tools: ToolRunner, tz: str) -> str:
        outcome = tools("list_tasks", command.args)
        if not outcome.ok:
            return f"I couldn't list your tasks: {outcome.result['error']}"
        tasks: list[dict[str, Any]] = outcome.result["tasks"]
        total: int = outcome.result["total"]
        if not tasks:
            return "No tasks match."
        lines = [f"{total} task{'s' if total != 1 else ''}:"]
        lines += [f"- {describe(task, tz)}" for task in tasks]
        if total > len(tasks):
            lines.append(f"(showing {len(tasks)} of {total})")
        return "\n".join(lines)

    def _find(
        self, command: ActOnTask, tools: ToolRunner, tz: str
    ) -> tuple[dict[str, Any] | None, str]:
        """The one task the reference names, or None and what to say instead."""
        ref = command.ref
        if ref.task_id is not None:
            if not (command.add_tags or command.remove_tags):
                return {"id": ref.task_id, "title": f"task {ref.task_id}", "tags": []}, ""
            outcome = tools("get_task", {"task_id": ref.task_id})
            if not outcome.ok:
                return None, f"I couldn't find task {ref.task_id}."
            task: dict[str, Any] = outcome.result
            return task, ""
        args: dict[str, Any] = {"q": ref.text}
        if command.action in _LOOKUP_STATUS:
            args["status"] = _LOOKUP_STATUS[command.action]
        outcome = tools("list_tasks", args)
        if not outcome.ok:
            return None, f"I couldn't search your tasks: {outcome.result['error']}"
        found: list[dict[str, Any]] = outcome.result["tasks"]
        exact = [t for t in found if t["title"].casefold() == ref.text.casefold()]
        if len(found) == 1 or len(exact) == 1:
            return (exact or found)[0], ""
        if not found:
            kind = {"complete": "an open task", "reopen": "a completed task"}.get(
                command.action, "a task"
            )
            return None, f"I couldn't find {kind} matching '{ref.text}'."
        options = "\n".join(f"- {describe(t, tz)}" for t in found[:10])
        return None, (
            f"More than one task matches '{ref.text}'. Which one do you mean?\n{options}\n"
            f"Say it with the number, e.g. '{command.action} task {found[0]['id']}'."
        )

    def _act(self, command: ActOnTask, tools: ToolRunner, tz: str) -> str:
        task, problem = self._find(command, tools, tz)
        if task is None:
            return problem
        task_id = task["id"]
        if command.action == "complete":
            outcome = tools("complete_task", {"task_id": task_id})
        elif command.action == "reopen":
            outcome = tools("complete_task", {"task_id": task_id, "completed": False})
        elif command.action == "delete":
            outcome = tools("delete_task", {"task_id": task_id})
            if outcome.ok:
                return f"Deleted #{task_id} {task['title']}."
        else:
            changes = dict(command.changes)
            if command.add_tags or command.remove_tags:
                current: list[str] = list(task.get("tags", []))
                removed = {t.casefold() for t in command.remove_tags}
                kept = [t for t in current if t.casefold() not in removed]
                known = {t.casefold() for t in kept}
                changes["tags"] = kept + [t for t in command.add_tags if t.casefold() not in known]
            outcome = tools("update_task", {"task_id": task_id, **changes})
        if not outcome.ok:
            return f"I couldn't do that: {outcome.result['error']}"
        return f"{_DONE[command.action]}: {describe(outcome.result, tz)}"

    def _tag(self, command: TagCommand, tools: ToolRunner) -> str:
        if command.action == "create":
            outcome = tools("create_tag", {"name": command.name})
            return (
                f"Created tag #{outcome.result['name']}."
                if outcome.ok
                else f"I couldn't create that tag: {outcome.result['error']}"
            )
        listed = tools("list_tags", {})
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
            outcome = tools("rename_tag", {"tag_id": tag_id, "name": command.new_name})
            done = f"Renamed #{command.name} to #{command.new_name}."
        else:
            outcome = tools("delete_tag", {"tag_id": tag_id})
            done = f"Deleted tag #{command.name}."
        return done if outcome.ok else f"I couldn't do that: {outcome.result['error']}"
