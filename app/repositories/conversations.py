"""SQL for the conversations and messages tables (the database ConversationStore)."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from app.models.conversation import ChatMessage, Conversation


def get_conversation(
    *, session: Session, user_id: uuid.UUID, conversation_id: int
) -> Conversation | None:
    row = session.get(Conversation, conversation_id)
    return row if row is not None and row.user_id == user_id else None


def recent_conversations(
    *, session: Session, user_id: uuid.UUID, limit: int, offset: int
) -> list[Conversation]:
    stmt = (
        select(Conversation)
        .where(Conversation.user_id == user_id)
        .order_by(col(Conversation.updated_at).desc(), col(Conversation.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(stmt).all())


def last_messages(
    *, session: Session, conversation_id: int, limit: int | None
) -> list[ChatMessage]:
    """Oldest first; with limit, the newest `limit` messages (still oldest first)."""
    stmt = (
        select(ChatMessage)
        .where(ChatMessage.conversation_id == conversation_id)
        .order_by(col(ChatMessage.id).desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(reversed(session.exec(stmt).all()))
