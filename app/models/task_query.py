"""Query parameters of the task listing, validated once for the API, the MCP tools and the
saved views (a saved view stores a TaskFilter: the listing's query without its page)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models.bounds import PATTERN_MESSAGES, DateTime, NoNulText
from app.models.page_window import PageWindow
from app.models.task import DUE_AT_DOC, Priority, _clean_priority

SORT_FIELDS = ("priority", "due_at", "created_at", "updated_at", "title")
DEFAULT_SORT = "-created_at"
_SORT_KEY = rf" *[+-]?({'|'.join(SORT_FIELDS)}) *"
SORT_PATTERN = rf"^{_SORT_KEY}(,{_SORT_KEY})*$"
PATTERN_MESSAGES[SORT_PATTERN] = (
    f"sort takes comma-separated fields, each with an optional '-': {', '.join(SORT_FIELDS)}"
)


class SortKey(BaseModel):
    field: Literal["priority", "due_at", "created_at", "updated_at", "title"]
    descending: bool


def parse_sort(value: str) -> list[SortKey]:
    keys: list[SortKey] = []
    seen: set[str] = set()
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        descending = part.startswith("-")
        name = part.lstrip("+-")
        if name not in SORT_FIELDS:
            raise ValueError(f"unknown sort field {name!r}; use one of {', '.join(SORT_FIELDS)}")
        if name in seen:
            continue  # a repeat cannot change the order the first one set
        seen.add(name)
        keys.append(SortKey(field=name, descending=descending))
    if not keys:
        raise ValueError("sort must name at least one field")
    return keys


class TaskFilter(BaseModel):
    """Which tasks, in which order: everything of the listing's query but the page."""

    model_config = ConfigDict(extra="forbid")

    q: NoNulText | None = Field(
        default=None, max_length=200, description="Keywords that must appear in title/description."
    )
    priority: list[Priority] = Field(
        default_factory=list,
        description="Only these priorities, any of them (repeatable: priority=P1&priority=P2).",
    )
    status: Literal["open", "completed", "all"] = Field(
        default="all", description="open = not completed."
    )
    tag: list[NoNulText] = Field(
        default_factory=list, description="Only tasks with these tags (repeatable)."
    )
    tag_mode: Literal["any", "all"] = Field(
        default="any", description="any: at least one of the tags; all: every tag."
    )
    due_after: DateTime | None = Field(
        default=None, description="Due at or after this time (inclusive). " + DUE_AT_DOC
    )
    due_before: DateTime | None = Field(
        default=None, description="Due at or before this time (inclusive). " + DUE_AT_DOC
    )
    overdue: bool | None = Field(
        default=None, description="true: open tasks whose due time has passed; false: the others."
    )
    has_due: bool | None = Field(
        default=None, description="true: only tasks with a due date; false: only without."
    )
    sort: str | None = Field(
        default=None,
        pattern=SORT_PATTERN,
        description="Comma-separated fields, '-' prefix for descending: priority, due_at, "
        "created_at, updated_at, title. Default -created_at (relevance first when q is given "
        "on PostgreSQL).",
    )

    @field_validator("priority", mode="before")
    @classmethod
    def _upper_priorities(cls, value: object) -> object:
        return [_clean_priority(v) for v in value] if isinstance(value, list) else value

    @field_validator("sort")
    @classmethod
    def _valid_sort(cls, value: str | None) -> str | None:
        if value is not None:
            parse_sort(value)
        return value

    @field_validator("q")
    @classmethod
    def _blank_q_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def sort_keys(self) -> list[SortKey]:
        return parse_sort(self.sort or DEFAULT_SORT)


# PageWindow first, so that its fields come after the filter's in the schema.
class TaskQuery(PageWindow, TaskFilter):
    """A filter and the page of its matches to return."""
