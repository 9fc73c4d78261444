"""Injectables, as Annotated aliases; tests replace them with dependency_overrides."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.api.user_cache import UserCache
from app.core.config import Settings
from app.core.security import decode_access_claims
from app.models.bounds import INT32_MAX, INT32_MIN
from app.models.user import User
from app.realtime.hub import ConnectionHub


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


# Dependencies that only read request state are async: a sync one costs a thread hop each.
SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]


async def get_db(engine: EngineDep) -> AsyncIterator[Session]:
    # Async on purpose: opening a session does no I/O, and a sync generator costs two
    # thread hops per request. Route handlers stay sync and run the queries in the pool.
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]


async def get_hub(request: Request) -> ConnectionHub:
    hub: ConnectionHub = request.app.state.hub
    return hub


HubDep = Annotated[ConnectionHub, Depends(get_hub)]
_bearer = HTTPBearer(auto_error=False, description="The access_token from sign-up or log-in")


async def get_current_user(
    engine: EngineDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    # Async, with the user cached for a few seconds: most requests need no thread hop and
    # no SELECT to know who is asking (app/api/user_cache.py).
    unauthorized = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="missing or invalid access token",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if credentials is None:
        raise unauthorized
    claims = decode_access_claims(
        credentials.credentials, secret=settings.jwt_secret, algorithm=settings.jwt_algorithm
    )
    if claims is None:
        raise unauthorized
    users = UserCache.of(engine)
    user = users.cached(claims.user_id)
    if user is None or user.token_epoch < claims.epoch:
        # Not cached, or cached before a "log out everywhere" made through another replica
        # (the token is newer than the entry): read the user afresh.
        user = await run_in_threadpool(users.load, claims.user_id)
    # A token from before the user's last "log out everywhere" carries an older epoch.
    if user is None or user.token_epoch != claims.epoch:
        raise unauthorized
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_path_user(user_id: uuid.UUID, current_user: CurrentUser) -> User:
    """The {user_id} in the path must be the token's own user."""
    if user_id != current_user.id:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="not your account")
    return current_user


PathUser = Annotated[User, Depends(get_path_user)]
# A row id in a path: bounded to the id columns' range, so an id past it is a 422, not a 500.
RowId = Annotated[int, Path(ge=INT32_MIN, le=INT32_MAX)]
