"""The X-Total-Count header that a paged list's answer carries."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Response

T = TypeVar("T")


def counted(response: Response, found: tuple[list[T], int]) -> list[T]:
    """The page's items; the total before paging goes into X-Total-Count."""
    items, total = found
    response.headers["X-Total-Count"] = str(total)
    return items
