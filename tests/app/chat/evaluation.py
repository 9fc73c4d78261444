"""Runs the built-in agent over the evaluation set (eval_set.yaml) and scores exact matches."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import app.models  # noqa: F401  (registers every table)
from app.chat.agents.base import AgentRequest, ToolRunner
from app.chat.agents.builtin import BuiltinAgent
from app.chat.tools import ToolContext
from app.models.task import TaskCreate
from app.models.user import User
from app.services import tasks as task_service

EVAL_SET = Path(__file__).with_name("eval_set.yaml")


@dataclass(frozen=True)
class CaseResult:
    category: str
    say: str
    expected: list[tuple[str, dict[str, Any]]]
    actual: list[tuple[str, dict[str, Any]]]

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def load() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EVAL_SET.read_text())
    return data


def _calls(raw: list[dict[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, args or {}) for call in raw for name, args in call.items()]


def run_case(data: dict[str, Any], case: dict[str, Any]) -> CaseResult:
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine)
    clock = datetime.fromisoformat(data["clock"])
    with Session(engine) as session:
        user = User(email="eval@example.com", name="Eval", password_hash="-")
        user.timezone = data["timezone"]
        session.add(user)
        session.commit()
        for seed in data["tasks"]:
            fields = {k: v for k, v in seed.items() if k != "completed"}
            task = task_service.create_task(
                session=session, user=user, data=TaskCreate.model_validate(fields)
            )
            if seed.get("completed"):
                task_service.set_completion(
                    session=session, user=user, task_id=task.id, completed=True
                )
        runner = ToolRunner(ToolContext(session=session, user=user))
        BuiltinAgent(clock=lambda: clock).respond(
            AgentRequest(message=case["say"], history=[], timezone=user.timezone, tools=runner)
        )
    engine.dispose()
    return CaseResult(
        category=case["category"],
        say=case["say"],
        expected=_calls(case["calls"]),
        actual=[(c.name, c.arguments) for c in runner.calls],
    )


def run_all() -> list[CaseResult]:
    data = load()
    return [run_case(data, case) for case in data["cases"]]


def summary(results: list[CaseResult]) -> tuple[float, dict[str, tuple[int, int]]]:
    total, passed = Counter[str](), Counter[str]()
    for result in results:
        total[result.category] += 1
        passed[result.category] += result.ok
    accuracy = sum(passed.values()) / max(1, len(results))
    return accuracy, {c: (passed[c], total[c]) for c in sorted(total)}
