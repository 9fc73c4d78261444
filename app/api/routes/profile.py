from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import PathUser, SessionDep
from app.api.responses import USER_SCOPED, body_route
from app.models.user import UserPublic, UserUpdate
from app.services import auth

router = APIRouter(prefix="/api/{user_id}/profile", tags=["profile"], responses=USER_SCOPED)


@router.get("", response_model=UserPublic)
def read_profile(*, user: PathUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.patch("", response_model=UserPublic, responses=body_route())
def update_profile(*, session: SessionDep, user: PathUser, body: UserUpdate) -> UserPublic:
    """Changes the display name or the timezone naive due dates are read in."""
    return auth.update_profile(session=session, user=user, data=body)
