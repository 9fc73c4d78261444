"""?offset=&limit=: the slice of a list that one request returns."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.models.bounds import INT32_MAX

LIMIT_MAX = 100


class PageWindow(BaseModel):
    """A list's query parameters start from this; an unknown parameter is a 422, not ignored."""

    model_config = ConfigDict(extra="forbid")

    offset: int = Field(default=0, ge=0, le=INT32_MAX, description="Items to skip (paging).")
    limit: int = Field(default=50, ge=1, le=LIMIT_MAX, description="Page size.")
