"""Where conversations live between turns: the server itself keeps nothing.

ConversationStore is the seam: DatabaseConversationStore (the default) keeps them
in the app database; a Dapr state store implementation can be added behind the
same protocol for Dapr mode (ADR 0401).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from app.core.db import utcnow
from app.models.conversation import ChatMessage, Conversation, ToolCall
from app.repositories import conversations as rows

TITLE_MAX = 80


@dataclass(frozen=True, kw_only=True)
class StoredMessage:
    id: int
    role: str
    content: str
    created_at: datetime
    tool_calls: list[ToolCall] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class NewMessage:
    role: str
    content: str
    tool_calls: list[ToolCall] = field(default_factory=list)

    def tool_calls_json(self) -> str:
        """Tool results may hold dates and ids: every store keeps them as JSON, those as str."""
        return json.dumps(
            [
                {"name": c.name, "arguments": c.arguments, "result": c.result}
                for c in self.tool_calls
            ],
            default=str,
        )


def read_tool_calls(stored: list[dict[str, Any]]) -> list[ToolCall]:
    """The tool calls of a stored message, as NewMessage.tool_calls_json wrote them."""
    return [
        ToolCall(name=c["name"], arguments=c.get("arguments", {}), result=c.get("result"))
        for c in stored
    ]


@dataclass(frozen=True, kw_only=True)
class StoredConversation:
    id: int
    title: str
    created_at: datetime
    updated_at: datetime


class ConversationStore(Protocol):
    """Conversations of one user are visible only to that user: every call names the user."""

    def create(self, *, user_id: uuid.UUID, title: str) -> StoredConversation: ...

    def get(self, *, user_id: uuid.UUID, conversation_id: int) -> StoredConversation | None: ...

    def recent(
        self, *, user_id: uuid.UUID, limit: int, offset: int
    ) -> list[StoredConversation]: ...

    def messages(
        self, *, user_id: uuid.UUID, conversation_id: int, limit: int | None = None
    ) -> list[StoredMessage]:
        """Oldest first; with limit, the newest `limit` messages (still oldest first)."""
        ...

    def append(
        self, *, user_id: uuid.UUID, conversation_id: int, message: NewMessage
    ) -> StoredMessage: ...


def _conversation(row: Conversation) -> StoredConversation:
    assert row.id is not None
    return StoredConversation(
        id=row.id, title=row.title, created_at=row.created_at, updated_at=row.updated_at
    )


def _message(row: ChatMessage) -> StoredMessage:
    assert row.id is not None
    calls = read_tool_calls(json.loads(row.tool_calls or "[]"))
    return StoredMessage(
        id=row.id, role=row.role, content=row.content, created_at=row.created_at, tool_calls=calls
    )


def conversation_title(message: str) -> str:
    text = " ".join(message.split())
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


class DatabaseConversationStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, user_id: uuid.UUID, conversation_id: int) -> Conversation | None:
        return rows.get_conversation(
            session=self.session, user_id=user_id, conversation_id=conversation_id
        )

    def create(self, *, user_id: uuid.UUID, title: str) -> StoredConversation:
        row = Conversation(user_id=user_id, title=conversation_title(title))
        self.session.add(row)
        self.session.commit()
        self.session.refresh(row)
        return _conversation(row)

    def get(self, *, user_id: uuid.UUID, conversation_id: int) -> StoredConversation | None:
        row = self._row(user_id, conversation_id)
        return _conversation(row) if row else None

    def recent(self, *, user_id: uuid.UUID, limit: int, offset: int) -> list[StoredConversation]:
        found = rows.recent_conversations(
            session=self.session, user_id=user_id, limit=limit, offset=offset
        )
        return [_conversation(row) for row in found]

    def messages(
        self, *, user_id: uuid.UUID, conversation_id: int, limit: int | None = None
    ) -> list[StoredMessage]:
        if self._row(user_id, conversation_id) is None:
            return []
        found = rows.last_messages(
            session=self.session, conversation_id=conversation_id, limit=limit
        )
        return [_message(row) for row in found]

    def append(
        self, *, user_id: uuid.UUID, conversation_id: int, message: NewMessage
    ) -> StoredMessage:
        conversation = self._row(user_id, conversation_id)
        if conversation is None:
            raise LookupError(f"conversation {conversation_id} not found")
        row = ChatMessage(
            conversation_id=conversation_id,
            role=message.role,
            content=message.content,
            tool_calls=message.tool_calls_json(),
        )
        conversation.updated_at = utcnow()
        self.session.add(row)
        self.session.add(conversation)
        self.session.commit()
        self.session.refresh(row)
        return _message(row)
