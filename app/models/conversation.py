"""Chat conversations and their messages; the server keeps no state between turns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from annotated_types import Interval
from pydantic import ConfigDict
from sqlalchemy import Index, Text
from sqlmodel import Column, Field, SQLModel

from app.core.db import now_field
from app.models.bounds import INT32_MAX, INT32_MIN, NOT_COERCED, JsonInt, NoNulText

MESSAGE_MAX = 2_000
Role = Literal["user", "assistant"]
# Bounded to the column, so a huge id is a 422 rather than a database error.
ConversationId = Annotated[int, Interval(ge=INT32_MIN, le=INT32_MAX), NOT_COERCED]


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_user_updated", "user_id", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")
    title: str = Field(default="", max_length=200)
    created_at: datetime = now_field()
    updated_at: datetime = now_field()


class ChatMessage(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id", "conversation_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversations.id", ondelete="CASCADE")
    role: str = Field(max_length=20)
    content: str = Field(sa_column=Column(Text, nullable=False))
    # JSON list of {name, arguments, result} for assistant turns that used tools.
    tool_calls: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    created_at: datetime = now_field()


@dataclass(frozen=True, kw_only=True)
class ToolCall:
    """A tool the assistant ran, with its result: recorded by the tool runner, stored with the
    message, replayed to the agents as history and returned by the API. The one such type."""

    name: str
    arguments: dict[str, Any]
    result: Any = None


class ChatRequest(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    conversation_id: ConversationId | None = None
    message: NoNulText = Field(min_length=1, max_length=MESSAGE_MAX)


class ChatUndoRequest(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    conversation_id: ConversationId
    count: JsonInt = Field(default=1, ge=1, le=20, description="How many of the assistant's turns")


class ChatResponse(SQLModel):
    conversation_id: int
    reply: str
    tool_calls: list[ToolCall]


class ConversationPublic(SQLModel):
    id: int
    title: str
    created_at: datetime
    updated_at: datetime


class MessagePublic(SQLModel):
    id: int
    role: str
    content: str
    tool_calls: list[ToolCall]
    created_at: datetime
