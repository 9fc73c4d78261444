"""SQLModel tables and API schemas, one module per entity."""

from app.models.activity import ActivityEntry
from app.models.consumer_state import DeadLetter, ProcessedEvent
from app.models.conversation import Conversation, Message
from app.models.notification import Notification
from app.models.tag import Tag, TaskTag
from app.models.task import Task
from app.models.user import User

__all__ = [
    "ActivityEntry",
    "Conversation",
    "DeadLetter",
    "Message",
    "Notification",
    "ProcessedEvent",
    "Tag",
    "Task",
    "TaskTag",
    "User",
]
