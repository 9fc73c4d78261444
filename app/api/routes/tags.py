from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.api.deps import PathUser, RowId, SessionDep
from app.api.responses import NOT_FOUND, USER_SCOPED, body_route, conflict
from app.models.tag import TagCreate, TagPublic, TagUpdate
from app.services import tags

router = APIRouter(prefix="/api/{user_id}/tags", tags=["tags"], responses=USER_SCOPED)
NAME_TAKEN = conflict("The user has a tag of that name (in any case)")


@router.get("", response_model=list[TagPublic])
def list_tags(*, session: SessionDep, user: PathUser) -> list[TagPublic]:
    return tags.list_tags(session=session, user=user)


@router.post(
    "",
    response_model=TagPublic,
    status_code=status.HTTP_201_CREATED,
    responses=body_route(NAME_TAKEN),
)
def create_tag(*, session: SessionDep, user: PathUser, body: TagCreate) -> TagPublic:
    return tags.create_tag(session=session, user=user, data=body)


@router.patch("/{tag_id}", response_model=TagPublic, responses=body_route(NOT_FOUND, NAME_TAKEN))
def rename_tag(*, session: SessionDep, user: PathUser, tag_id: RowId, body: TagUpdate) -> TagPublic:
    return tags.rename_tag(session=session, user=user, tag_id=tag_id, data=body)


@router.delete("/{tag_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_tag(*, session: SessionDep, user: PathUser, tag_id: RowId) -> Response:
    tags.delete_tag(session=session, user=user, tag_id=tag_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
