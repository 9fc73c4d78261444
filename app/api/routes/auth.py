from fastapi import APIRouter, status

from app.api.deps import CurrentUser, SessionDep, SettingsDep
from app.models.user import Token, UserCreate, UserLogin, UserPublic
from app.services import auth

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/signup", response_model=Token, status_code=status.HTTP_201_CREATED)
def signup(*, session: SessionDep, settings: SettingsDep, body: UserCreate) -> Token:
    """Creates an account and returns an access token for it."""
    return auth.signup(session=session, settings=settings, data=body)


@router.post(
    "/login",
    response_model=Token,
    responses={401: {"description": "Wrong email or password"}, 429: {"description": "Locked"}},
)
def login(*, session: SessionDep, settings: SettingsDep, body: UserLogin) -> Token:
    return auth.login(session=session, settings=settings, data=body)


@router.get("/me", response_model=UserPublic)
def me(*, user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)
