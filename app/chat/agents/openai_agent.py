"""The model-backed agent: any OpenAI-compatible chat.completions endpoint with tool calling.

It sees the same tools (names, descriptions, JSON schemas) as MCP clients do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from openai import OpenAI

from app.chat.agents.base import AgentRequest, Turn
from app.chat.tools import TOOLS
from app.core.db import utcnow
from app.domain.timezones import parse_timezone

MAX_ROUNDS = 8
SYSTEM_PROMPT = (
    "You are Taskflow's assistant. You manage the user's tasks only through the tools. "
    "The user's timezone is {tz}; now is {now} there. Give due dates to tools as ISO 8601 "
    "with the user's offset. To change a task by name, find its id with list_tasks first; "
    "if several tasks match, ask which one instead of guessing. 'it' or 'that' means the task "
    "you last showed or changed (see the earlier tool results); if that is unclear, ask. "
    "Answer briefly, in plain words: no RRULEs, tool or field names."
)


def tool_definitions() -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": spec.name,
                "description": spec.description,
                "parameters": spec.input_schema,
            },
        }
        for spec in TOOLS.values()
    ]


def _history_messages(turn: Turn, index: int) -> list[dict[str, Any]]:
    """A stored turn as the model saw it: its tool calls and their results, then the reply."""
    if not turn.tool_calls:
        return [{"role": turn.role, "content": turn.content}]
    ids = [f"call_{index}_{n}" for n in range(len(turn.tool_calls))]
    calls = [
        {
            "id": call_id,
            "type": "function",
            "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
        }
        for call_id, call in zip(ids, turn.tool_calls, strict=True)
    ]
    results = [
        {"role": "tool", "tool_call_id": call_id, "content": json.dumps(call.result)}
        for call_id, call in zip(ids, turn.tool_calls, strict=True)
    ]
    return [
        {"role": "assistant", "content": None, "tool_calls": calls},
        *results,
        {"role": "assistant", "content": turn.content},
    ]


class OpenAIAgent:
    def __init__(
        self, *, client: OpenAI, model: str, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.client = client
        self.model = model
        self.clock = clock

    def respond(self, request: AgentRequest) -> str:
        now = self.clock().astimezone(parse_timezone(request.timezone))
        messages: list[dict[str, Any]] = [
            {
                "role": "system",
                "content": SYSTEM_PROMPT.format(tz=request.timezone, now=now.isoformat()),
            }
        ]
        for index, turn in enumerate(request.history):
            messages += _history_messages(turn, index)
        messages.append({"role": "user", "content": request.message})
        for _ in range(MAX_ROUNDS):
            completion = self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                tools=tool_definitions(),  # type: ignore[arg-type]
            )
            choice = completion.choices[0].message
            calls = choice.tool_calls or []
            if not calls:
                return choice.content or ""
            messages.append(
                {
                    "role": "assistant",
                    "content": choice.content,
                    "tool_calls": [
                        {
                            "id": call.id,
                            "type": "function",
                            "function": {
                                "name": call.function.name,  # type: ignore[union-attr]
                                "arguments": call.function.arguments,  # type: ignore[union-attr]
                            },
                        }
                        for call in calls
                    ],
                }
            )
            for call in calls:
                function = call.function  # type: ignore[union-attr]
                try:
                    arguments = json.loads(function.arguments or "{}")
                except json.JSONDecodeError:
                    arguments = None
                if not isinstance(arguments, dict):
                    result: Any = {"error": "arguments must be a JSON object"}
                else:
                    result = request.tools(function.name, arguments).result
                messages.append(
                    {"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)}
                )
        return "I stopped after too many tool calls; please try a simpler request."
