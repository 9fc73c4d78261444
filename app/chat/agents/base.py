"""The one interface every chat agent implements, and the recorded tool runner they share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.chat.tools import ToolContext, ToolOutcome, run_tool

# One tool-call type for runner, store and API; re-exported for the agents.
from app.models.conversation import ToolCall as ToolCall


@dataclass(frozen=True, kw_only=True)
class Turn:
    role: str
    """user | assistant"""
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    """An assistant turn's tool calls with their results: what it showed and changed."""


@dataclass(kw_only=True)
class ToolRunner:
    """Runs tools for one user and records every call, in order."""

    context: ToolContext
    calls: list[ToolCall] = field(default_factory=list)

    def __call__(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        outcome = run_tool(self.context, name, arguments)
        self.calls.append(ToolCall(name=name, arguments=dict(arguments), result=outcome.result))
        return outcome


@dataclass(frozen=True, kw_only=True)
class AgentRequest:
    message: str
    history: Sequence[Turn]
    timezone: str
    tools: ToolRunner


class Agent(Protocol):
    def respond(self, request: AgentRequest) -> str:
        """Answers one message, using request.tools; returns the reply text."""
        ...
