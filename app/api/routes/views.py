"""Saved views: a user's named task filters, listed in the web app's sidebar."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.api.deps import PathUser, RowId, SessionDep
from app.api.responses import NOT_FOUND, USER_SCOPED, body_route, conflict
from app.models.saved_view import (
    VIEWS_PER_USER_MAX,
    SavedViewCreate,
    SavedViewPublic,
    SavedViewUpdate,
)
from app.services import saved_views

router = APIRouter(prefix="/api/{user_id}/views", tags=["views"], responses=USER_SCOPED)
NAME_TAKEN = conflict("The user has a view of that name (in any case)")
TAKEN_OR_FULL = conflict(
    f"The user has a view of that name (in any case), or {VIEWS_PER_USER_MAX} views already"
)


@router.get("", response_model=list[SavedViewPublic])
def list_views(*, session: SessionDep, user: PathUser) -> list[SavedViewPublic]:
    """The user's saved views, by name."""
    return saved_views.list_views(session=session, user=user)


@router.post(
    "",
    response_model=SavedViewPublic,
    status_code=status.HTTP_201_CREATED,
    responses=body_route(TAKEN_OR_FULL),
)
def create_view(*, session: SessionDep, user: PathUser, body: SavedViewCreate) -> SavedViewPublic:
    return saved_views.create_view(session=session, user=user, data=body)


@router.patch(
    "/{view_id}", response_model=SavedViewPublic, responses=body_route(NOT_FOUND, NAME_TAKEN)
)
def update_view(
    *, session: SessionDep, user: PathUser, view_id: RowId, body: SavedViewUpdate
) -> SavedViewPublic:
    """Renames the view and/or replaces its filter."""
    return saved_views.update_view(session=session, user=user, view_id=view_id, data=body)


@router.delete("/{view_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_view(*, session: SessionDep, user: PathUser, view_id: RowId) -> Response:
    saved_views.delete_view(session=session, user=user, view_id=view_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
