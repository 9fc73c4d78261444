"""A past turn with the tool calls it made: what the built-in agent reads to follow the
conversation (which tasks it listed, acted on, or asked about)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.chat.agents.base import ToolCall, Turn


@dataclass(frozen=True)
class PastTurn(Turn):
    tool_calls: tuple[ToolCall, ...] = ()


def calls_of(turn: Turn) -> Sequence[ToolCall]:
    return turn.tool_calls if isinstance(turn, PastTurn) else ()
