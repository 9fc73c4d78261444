from __future__ import annotations

from fastapi import APIRouter, Depends, status

from app.api.deps import CurrentUser, SessionDep, SettingsDep
from app.api.responses import AUTHENTICATED, THROTTLED, body_route, conflict
from app.api.throttle import throttle_auth
from app.models.user import Token, UserCreate, UserLogin, UserPublic
from app.services import auth

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/signup",
    response_model=Token,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(throttle_auth)],
    responses=body_route(conflict("An account with this email exists"), THROTTLED),
)
def signup(*, session: SessionDep, settings: SettingsDep, body: UserCreate) -> Token:
    """Creates an account and returns an access token for it."""
    return auth.signup(session=session, settings=settings, data=body)


@router.post(
    "/login",
    response_model=Token,
    dependencies=[Depends(throttle_auth)],
    responses=body_route(
        {401: AUTHENTICATED[401] | {"description": "Wrong email or password, or locked a while"}},
        THROTTLED,
    ),
)
def login(*, session: SessionDep, settings: SettingsDep, body: UserLogin) -> Token:
    return auth.login(session=session, settings=settings, data=body)


@router.get("/me", response_model=UserPublic, responses=AUTHENTICATED)
def me(*, user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)
