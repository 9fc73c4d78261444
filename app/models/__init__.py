"""SQLModel tables and API schemas, one module per entity."""

from app.models.tag import Tag, TaskTag
from app.models.task import Task
from app.models.user import User

__all__ = ["Tag", "Task", "TaskTag", "User"]
