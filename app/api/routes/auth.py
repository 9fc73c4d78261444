from typing import Any

from fastapi import APIRouter, Depends, status

from app.api.deps import CurrentUser, SessionDep, SettingsDep
from app.api.throttle import throttle_auth
from app.models.user import Token, UserCreate, UserLogin, UserPublic
from app.services import auth

router = APIRouter(prefix="/api/auth", tags=["auth"])


THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {"description": "Too many attempts from this address (see Retry-After)"}
}


@router.post(
    "/signup",
    response_model=Token,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(throttle_auth)],
    responses={409: {"description": "An account with this email exists"}, **THROTTLED},
)
def signup(*, session: SessionDep, settings: SettingsDep, body: UserCreate) -> Token:
    """Creates an account and returns an access token for it."""
    return auth.signup(session=session, settings=settings, data=body)


@router.post(
    "/login",
    response_model=Token,
    dependencies=[Depends(throttle_auth)],
    responses={
        401: {"description": "Wrong email or password, or the account is locked for a while"},
        **THROTTLED,
    },
)
def login(*, session: SessionDep, settings: SettingsDep, body: UserLogin) -> Token:
    return auth.login(session=session, settings=settings, data=body)


@router.get(
    "/me", response_model=UserPublic, responses={401: {"description": "Missing or invalid token"}}
)
def me(*, user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)
