"""SQLModel tables and API schemas, one module per entity."""

from __future__ import annotations

from app.models.activity import ActivityEntry
from app.models.conversation import ChatMessage, Conversation
from app.models.dead_letter import DeadLetter
from app.models.notification import Notification
from app.models.outbox import OutboxMessage
from app.models.processed_event import ProcessedEvent
from app.models.saved_view import SavedView
from app.models.session import UserSession
from app.models.tag import Tag, TaskTag
from app.models.task import Task
from app.models.user import User

__all__ = [
    "ActivityEntry",
    "ChatMessage",
    "Conversation",
    "DeadLetter",
    "Notification",
    "OutboxMessage",
    "ProcessedEvent",
    "SavedView",
    "Tag",
    "Task",
    "TaskTag",
    "User",
    "UserSession",
]
