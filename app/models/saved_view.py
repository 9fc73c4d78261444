"""Saved views: a named task filter per user, stored server-side so every device sees it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, field_validator
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import JSON
from sqlmodel import Column, Field, SQLModel

from app.core.db import now_field
from app.models.bounds import NonBlankText
from app.models.named_row import NamedRow, unique_name_per_user
from app.models.task_query import TaskFilter

VIEW_NAME_MAX = 100
VIEWS_PER_USER_MAX = 50
# The stored filter as JSON: the listing's URL bounds its query, a body needs its own bound.
VIEW_FILTERS_MAX = 4_000
NAME_DOC = "Name shown in the sidebar; unique per user (any case)."
FILTERS_DOC = (
    "The task filter the view applies: the task listing's query parameters without "
    "offset and limit (repeatable ones as lists)."
)
# Query strings read "true" as true; a JSON body holds a boolean as a boolean.
_BOOLEANS = tuple(
    name for name, field in TaskFilter.model_fields.items() if field.annotation == (bool | None)
)


def _clean_name(value: str | None) -> str | None:
    return None if value is None else value.strip()  # the schema left something besides space


def _strict_booleans(value: Any) -> Any:
    if isinstance(value, dict):
        for name in _BOOLEANS:
            if value.get(name) is not None and not isinstance(value[name], bool):
                raise ValueError(f"{name} must be true, false or null")
    return value


def _bounded(value: TaskFilter | None) -> TaskFilter | None:
    if value is not None and len(stored_filters(value)) > VIEW_FILTERS_MAX:
        raise ValueError(f"the filter is too long (over {VIEW_FILTERS_MAX} characters as JSON)")
    return value


def stored_filters(filters: TaskFilter) -> str:
    return filters.model_dump_json(exclude_defaults=True)


class _ViewFields(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    _name = field_validator("name", check_fields=False)(_clean_name)
    _booleans = field_validator("filters", mode="before", check_fields=False)(_strict_booleans)
    _size = field_validator("filters", check_fields=False)(_bounded)


class SavedViewCreate(_ViewFields):
    name: NonBlankText = Field(max_length=VIEW_NAME_MAX, description=NAME_DOC)
    filters: TaskFilter = Field(default_factory=TaskFilter, description=FILTERS_DOC)


class SavedViewUpdate(_ViewFields):
    """Renames the view, replaces its filter, or both; an omitted field keeps its value."""

    name: NonBlankText | SkipJsonSchema[None] = Field(
        default=None, max_length=VIEW_NAME_MAX, description=NAME_DOC
    )
    filters: TaskFilter | SkipJsonSchema[None] = Field(default=None, description=FILTERS_DOC)

    @field_validator("name", "filters", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class SavedView(NamedRow, table=True):
    __tablename__ = "saved_views"
    __table_args__ = (unique_name_per_user("saved_views"),)

    name: str = Field(max_length=VIEW_NAME_MAX)
    name_key: str = Field(max_length=VIEW_NAME_MAX)
    # A TaskFilter's non-default fields; read back through TaskFilter, so it stays valid.
    filters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = now_field()
    updated_at: datetime = now_field()


class SavedViewPublic(SQLModel):
    id: int
    name: str
    filters: TaskFilter
    created_at: datetime
    updated_at: datetime
