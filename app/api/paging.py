"""?offset=&limit= of a list route, and the X-Total-Count header its answer carries."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import Depends, Query, Response

from app.models.bounds import INT32_MAX

T = TypeVar("T")


class Page:
    def __init__(
        self,
        response: Response,
        offset: Annotated[int, Query(ge=0, le=INT32_MAX)] = 0,
        limit: Annotated[int, Query(ge=1, le=100)] = 50,
    ) -> None:
        self.response = response
        self.offset = offset
        self.limit = limit

    def counted(self, found: tuple[list[T], int]) -> list[T]:
        """The page's items; the total before paging goes into X-Total-Count."""
        items, total = found
        self.response.headers["X-Total-Count"] = str(total)
        return items


PageQuery = Annotated[Page, Depends()]
