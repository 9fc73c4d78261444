"""Chat conversations in a Dapr state store (state.postgresql, state.redis, ...): the
ConversationStore used when USE_DAPR=true.

Layout, per user (every call names the user, so one user never sees another's keys):
  chat-<user_id>                 {"next_id": n, "conversations": {"<id>": {title, created_at,
                                                                          updated_at}}}
  chat-<user_id>-<conversation>  {"next_message_id": n, "messages": [...]}

Writes are read-modify-write with the ETag read: a concurrent writer makes the save fail
with DaprConflict and the update is retried on the fresh value (optimistic concurrency).

The protocol is synchronous (chat routes run in FastAPI's worker threads), the client is
async: each call hops onto the app's event loop with anyio.from_thread.run.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any, TypeVar

import anyio.from_thread

from app.chat.conversations import (
    NewMessage,
    StoredConversation,
    StoredMessage,
    conversation_title,
    read_tool_calls,
)
from app.core.db import utcnow
from app.transports.dapr.client import DaprClient, DaprConflict

T = TypeVar("T")
Doc = dict[str, Any]


def _index_key(user_id: uuid.UUID) -> str:
    return f"chat-{user_id}"


def _messages_key(user_id: uuid.UUID, conversation_id: int) -> str:
    return f"chat-{user_id}-{conversation_id}"


def _conversation(conversation_id: int, doc: Doc) -> StoredConversation:
    return StoredConversation(
        id=conversation_id,
        title=doc["title"],
        created_at=datetime.fromisoformat(doc["created_at"]),
        updated_at=datetime.fromisoformat(doc["updated_at"]),
    )


def _message(doc: Doc) -> StoredMessage:
    return StoredMessage(
        id=doc["id"],
        role=doc["role"],
        content=doc["content"],
        created_at=datetime.fromisoformat(doc["created_at"]),
        tool_calls=read_tool_calls(doc.get("tool_calls", [])),
    )


class DaprConversationStore:
    def __init__(self, dapr: DaprClient, *, store: str, attempts: int = 5) -> None:
        self._dapr = dapr
        self._store = store
        self._attempts = attempts

    def _run(self, fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
        return anyio.from_thread.run(fn)

    async def _read(self, key: str) -> Doc | None:
        entry = await self._dapr.get_state(self._store, key)
        return entry.value if entry is not None else None

    async def _update(self, key: str, change: Callable[[Doc | None], tuple[Doc, T]]) -> T:
        """Applies `change` to the current value and saves it if nobody wrote in between."""
        for attempt in range(1, self._attempts + 1):
            entry = await self._dapr.get_state(self._store, key)
            doc, result = change(entry.value if entry is not None else None)
            try:
                await self._dapr.save_state(
                    self._store, key, doc, etag=entry.etag if entry is not None else None
                )
            except DaprConflict:
                if attempt == self._attempts:
                    raise
                continue
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def create(self, *, user_id: uuid.UUID, title: str) -> StoredConversation:
        now = utcnow().isoformat()

        def add(index: Doc | None) -> tuple[Doc, StoredConversation]:
            index = index or {"next_id": 1, "conversations": {}}
            conversation_id = int(index["next_id"])
            doc = {"title": conversation_title(title), "created_at": now, "updated_at": now}
            index["next_id"] = conversation_id + 1
            index["conversations"][str(conversation_id)] = doc
            return index, _conversation(conversation_id, doc)

        return self._run(lambda: self._update(_index_key(user_id), add))

    def get(self, *, user_id: uuid.UUID, conversation_id: int) -> StoredConversation | None:
        index = self._run(lambda: self._read(_index_key(user_id)))
        doc = (index or {}).get("conversations", {}).get(str(conversation_id))
        return _conversation(conversation_id, doc) if doc else None

    def recent(self, *, user_id: uuid.UUID, limit: int, offset: int) -> list[StoredConversation]:
        index = self._run(lambda: self._read(_index_key(user_id))) or {}
        found = [_conversation(int(k), v) for k, v in index.get("conversations", {}).items()]
        found.sort(key=lambda c: (c.updated_at, c.id), reverse=True)
        return found[offset : offset + limit]

    def messages(
        self, *, user_id: uuid.UUID, conversation_id: int, limit: int | None = None
    ) -> list[StoredMessage]:
        if self.get(user_id=user_id, conversation_id=conversation_id) is None:
            return []
        doc = self._run(lambda: self._read(_messages_key(user_id, conversation_id))) or {}
        rows: list[Doc] = doc.get("messages", [])
        if limit is not None:
            rows = rows[-limit:] if limit > 0 else []
        return [_message(row) for row in rows]

    def append(
        self, *, user_id: uuid.UUID, conversation_id: int, message: NewMessage
    ) -> StoredMessage:
        if self.get(user_id=user_id, conversation_id=conversation_id) is None:
            raise LookupError(f"conversation {conversation_id} not found")
        now = utcnow().isoformat()
        calls: list[Doc] = json.loads(message.tool_calls_json())

        def add_message(doc: Doc | None) -> tuple[Doc, StoredMessage]:
            doc = doc or {"next_message_id": 1, "messages": []}
            message_id = int(doc["next_message_id"])
            row: Doc = {
                "id": message_id,
                "role": message.role,
                "content": message.content,
                "created_at": now,
                "tool_calls": calls,
            }
            doc["next_message_id"] = message_id + 1
            doc["messages"].append(row)
            return doc, _message(row)

        def touch(index: Doc | None) -> tuple[Doc, None]:
            index = index or {"next_id": conversation_id + 1, "conversations": {}}
            index["conversations"][str(conversation_id)]["updated_at"] = now
            return index, None

        async def both() -> StoredMessage:
            stored = await self._update(_messages_key(user_id, conversation_id), add_message)
            await self._update(_index_key(user_id), touch)
            return stored

        return self._run(both)
