from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, StringConstraints
from sqlmodel import Field, SQLModel

from app.core.db import now_field
from app.models.bounds import TAG_NAME_PATTERN
from app.models.named_row import NamedRow, unique_name_per_user

TAG_NAME_MAX = 50


def clean_tag_name(value: str) -> str:
    """Trims a tag name and drops a leading '#', as people type it in chat; the schema
    (TAG_NAME_PATTERN, at most TAG_NAME_MAX) has made sure something is left."""
    return value.strip().lstrip("#").strip()


TagName = Annotated[
    str,
    StringConstraints(max_length=TAG_NAME_MAX, pattern=TAG_NAME_PATTERN),
    AfterValidator(clean_tag_name),
]


class TagBase(SQLModel):
    name: str = Field(max_length=TAG_NAME_MAX, description="Tag name, unique per user (any case).")


class TagCreate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    name: TagName = Field(description="Tag name, unique per user (any case).")


class TagUpdate(TagCreate):
    pass


class Tag(TagBase, NamedRow, table=True):
    __tablename__ = "tags"
    __table_args__ = (unique_name_per_user("tags"),)

    name_key: str = Field(max_length=TAG_NAME_MAX)
    created_at: datetime = now_field()


class TagPublic(TagBase):
    id: int
    task_count: int
    created_at: datetime


class TaskTag(SQLModel, table=True):
    __tablename__ = "task_tags"

    task_id: int = Field(foreign_key="tasks.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tags.id", primary_key=True, ondelete="CASCADE", index=True)
