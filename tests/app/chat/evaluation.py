"""Runs the built-in agent over the evaluation splits and judges each case by its effect.

A case is one conversation (a list of turns) on fresh data: the seed tasks of
eval_set.yaml, its clock, and its timezone unless the case names another. It passes when
- the tasks it leaves equal what the case's `calls` leave when replayed on fresh data
  (the changes a correct assistant makes; reads are not compared),
- with `shows`, the last listing of the last turn showed exactly those task ids,
- and every reply is plain words (no RRULE, tool or field name).
A failed case that changed or deleted a seed task the case did not mean, or created more
tasks than meant, counts as a wrong target.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import app.models  # noqa: F401  (registers every table)
from app.chat.agents.base import AgentRequest, ToolCall, ToolRunner, Turn
from app.chat.agents.builtin import BuiltinAgent
from app.chat.tools import ToolContext, run_tool
from app.models.page_window import LIMIT_MAX
from app.models.task import TaskCreate
from app.models.user import User
from app.services import tasks as task_service

HERE = Path(__file__).parent
SEED = HERE / "eval_set.yaml"
SPLITS = {
    "tuned": (HERE / "eval_set.yaml", HERE / "eval_dialogues.yaml"),
    # Written before the agent was tuned for conversations; never tuned against.
    "held-back": (HERE / "eval_heldout.yaml",),
}
# What a reply must never show: repeat rules, tool and field names.
NOT_PLAIN = re.compile(
    r"FREQ=|RRULE|BYDAY|\b(add|list|get|update|complete|delete)_tasks?\b|\bdue_at\b|"
    r"remind_before|\btool\b",
    re.IGNORECASE,
)
Snapshot = list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class CaseResult:
    split: str
    category: str
    turns: tuple[str, ...]
    ok: bool
    wrong_target: bool
    detail: str


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def cases(split: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in SPLITS[split]:
        for case in load(path)["cases"]:
            turns = case.get("turns") or [case["say"]]
            found.append({**case, "turns": turns})
    return found


def _calls(raw: list[dict[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, args or {}) for call in raw for name, args in call.items()]


def seeded_session(seed: dict[str, Any], timezone: str) -> tuple[Session, User]:
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine)
    session = Session(engine)
    user = User(email="eval@example.com", name="Eval", password_hash="-")
    user.timezone = timezone
    session.add(user)
    session.commit()
    for task in seed["tasks"]:
        fields = {k: v for k, v in task.items() if k != "completed"}
        created = task_service.create_task(
            session=session, user=user, data=TaskCreate.model_validate(fields)
        )
        if task.get("completed"):
            task_service.set_completion(
                session=session, user=user, task_id=created.id, completed=True
            )
    return session, user


def _snapshot(context: ToolContext) -> Snapshot:
    listed = run_tool(context, "list_tasks", {"status": "all", "limit": LIMIT_MAX})
    keys = ("id", "title", "description", "completed", "priority", "due_at", "recurrence")
    rows = [
        {
            **{k: task[k] for k in keys},
            "tags": sorted(task["tags"]),
            "remind_before_minutes": task["remind_before_minutes"],
        }
        for task in listed.result["tasks"]
    ]
    return sorted(rows, key=lambda r: int(r["id"]))


def _expected(seed: dict[str, Any], case: dict[str, Any], timezone: str) -> Snapshot:
    session, user = seeded_session(seed, timezone)
    context = ToolContext(session=session, user=user)
    for name, arguments in _calls(case.get("calls") or []):
        outcome = run_tool(context, name, arguments)
        assert outcome.ok, f"eval case {case['turns']}: {name} {arguments}: {outcome.result}"
    try:
        return _snapshot(context)
    finally:
        session.close()


def _converse(
    seed: dict[str, Any], case: dict[str, Any], timezone: str
) -> tuple[Snapshot, Snapshot, list[int] | None, list[str]]:
    """Runs the turns; returns the data before and after, the last ids shown, the replies."""
    session, user = seeded_session(seed, timezone)
    context = ToolContext(session=session, user=user)
    before = _snapshot(context)
    clock = datetime.fromisoformat(seed["clock"])
    agent = BuiltinAgent(clock=lambda: clock)
    history: list[Turn] = []
    replies: list[str] = []
    shown: list[int] | None = None
    for message in case["turns"]:
        runner = ToolRunner(context=context)
        reply = agent.respond(
            AgentRequest(message=message, history=list(history), timezone=timezone, tools=runner)
        )
        replies.append(reply)
        listings = [c for c in runner.calls if c.name == "list_tasks" and "tasks" in c.result]
        shown = [t["id"] for t in listings[-1].result["tasks"]] if listings else None
        calls = tuple(
            ToolCall(name=c.name, arguments=c.arguments, result=c.result) for c in runner.calls
        )
        history += [
            Turn(role="user", content=message),
            Turn(role="assistant", content=reply, tool_calls=calls),
        ]
    try:
        return before, _snapshot(context), shown, replies
    finally:
        session.close()


def _by_id(snapshot: Snapshot, seeded: int) -> dict[int, dict[str, Any]]:
    return {int(r["id"]): r for r in snapshot if int(r["id"]) <= seeded}


def _new(snapshot: Snapshot, seeded: int) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "id"} for r in snapshot if int(r["id"]) > seeded]


def run_case(seed: dict[str, Any], case: dict[str, Any], split: str) -> CaseResult:
    timezone = case.get("timezone", seed["timezone"])
    expected = _expected(seed, case, timezone)
    before, actual, shown, replies = _converse(seed, case, timezone)
    seeded = len(seed["tasks"])
    problems: list[str] = []
    if _by_id(actual, seeded) != _by_id(expected, seeded):
        problems.append(f"seed tasks: expected {_by_id(expected, seeded)}")
    if _new(actual, seeded) != _new(expected, seeded):
        problems.append(f"new tasks: expected {_new(expected, seeded)}, got {_new(actual, seeded)}")
    if "shows" in case and sorted(shown or []) != sorted(case["shows"]):
        problems.append(f"showed {shown}, expected {case['shows']}")
    problems += [f"reply not plain: {r!r}" for r in replies if NOT_PLAIN.search(r)]
    wrong = False
    if problems:
        start, want, got = _by_id(before, seeded), _by_id(expected, seeded), _by_id(actual, seeded)
        touched = {i for i in start if got.get(i) != start[i] and want.get(i) == start[i]}
        extra = len(_new(actual, seeded)) > len(_new(expected, seeded))
        wrong = bool(touched) or extra
        if touched:
            problems.append(f"changed tasks the user did not mean: {sorted(touched)}")
        problems.append(f"replies: {replies}")
    return CaseResult(
        split=split,
        category=case["category"],
        turns=tuple(case["turns"]),
        ok=not problems,
        wrong_target=wrong,
        detail="\n    ".join(problems),
    )


def run_split(split: str, category: str | None = None) -> list[CaseResult]:
    seed = load(SEED)
    chosen = [c for c in cases(split) if category in (None, c["category"])]
    return [run_case(seed, case, split) for case in chosen]


def summary(results: list[CaseResult]) -> tuple[float, dict[str, tuple[int, int]]]:
    total, passed = Counter[str](), Counter[str]()
    for result in results:
        total[result.category] += 1
        passed[result.category] += result.ok
    accuracy = sum(passed.values()) / max(1, len(results))
    return accuracy, {c: (passed[c], total[c]) for c in sorted(total)}


def utterances(split: str) -> int:
    return sum(len(case["turns"]) for case in cases(split))
