"""Sign-up, log-in and the browser session: refresh, log out, log out everywhere.

The refresh token travels only in an HttpOnly cookie scoped to this router's path, so page
scripts never see it and no other API path receives it. CSRF: the cookie is SameSite=Strict
(a cross-site page's request does not carry it), and the routes that read it also require
the X-Requested-With header, which a cross-site form cannot send and a cross-origin script
can send only after a CORS preflight that this API never grants with credentials.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, Header, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from app.api.deps import CurrentUser, HubDep, SessionDep, SettingsDep
from app.api.responses import AUTHENTICATED, THROTTLED, Responses, body_route, conflict
from app.api.throttle import throttle_auth
from app.core.db import utcnow
from app.models.user import Token, UserCreate, UserLogin, UserPublic
from app.services import auth, sessions
from app.services.sessions import Grant

router = APIRouter(prefix="/api/auth", tags=["auth"])

REFRESH_COOKIE = "taskflow_refresh"
REFRESH_PATH = router.prefix
CSRF_HEADER = "X-Requested-With"

RefreshCookie = Annotated[
    str | None,
    Cookie(
        alias=REFRESH_COOKIE,
        description="The refresh token, set by sign-up, log-in and refresh (HttpOnly).",
    ),
]
CsrfHeader = Annotated[
    str,
    Header(
        alias=CSRF_HEADER,
        min_length=1,
        description="Any value: proves a same-origin script sent the request (CSRF guard).",
    ),
]
SESSION_ENDED: Responses = {
    401: AUTHENTICATED[401] | {"description": "No session cookie, or the session has ended"}
}


class SessionCookie:
    """The refresh cookie on this request's answer: set from a grant, or cleared."""

    def __init__(self, request: Request, response: Response, settings: SettingsDep) -> None:
        self._response = response
        # Secure whenever the page is served over https; outside local development always (TLS
        # ends at the ingress there, so the API itself may see plain http).
        self._secure = request.url.scheme == "https" or settings.environment != "local"

    def issue(self, grant: Grant) -> Token:
        """Sets the cookie to the grant's refresh token; the access token is the answer."""
        self._response.set_cookie(
            REFRESH_COOKIE,
            grant.refresh_token,
            max_age=max(0, round((grant.refresh_expires_at - utcnow()).total_seconds())),
            path=REFRESH_PATH,
            secure=self._secure,
            httponly=True,
            samesite="strict",
        )
        return grant.token

    def clear(self) -> None:
        self._response.delete_cookie(
            REFRESH_COOKIE, path=REFRESH_PATH, secure=self._secure, httponly=True, samesite="strict"
        )


SessionCookieDep = Annotated[SessionCookie, Depends()]


@router.post(
    "/signup",
    response_model=Token,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(throttle_auth)],
    responses=body_route(conflict("An account with this email exists"), THROTTLED),
)
def signup(
    *, session: SessionDep, settings: SettingsDep, cookie: SessionCookieDep, body: UserCreate
) -> Token:
    """Creates an account; returns an access token and sets the refresh cookie."""
    return cookie.issue(auth.signup(session=session, settings=settings, data=body))


@router.post(
    "/login",
    response_model=Token,
    dependencies=[Depends(throttle_auth)],
    responses=body_route(
        {401: AUTHENTICATED[401] | {"description": "Wrong email or password, or locked a while"}},
        THROTTLED,
    ),
)
def login(
    *, session: SessionDep, settings: SettingsDep, cookie: SessionCookieDep, body: UserLogin
) -> Token:
    """Returns an access token and sets the refresh cookie (a new session)."""
    return cookie.issue(auth.login(session=session, settings=settings, data=body))


@router.post("/refresh", response_model=Token, responses=SESSION_ENDED)
def refresh(
    *,
    session: SessionDep,
    settings: SettingsDep,
    cookie: SessionCookieDep,
    refresh_token: RefreshCookie = None,
    _csrf: CsrfHeader,
) -> Token:
    """A new access token for the session cookie, which is replaced by the next one.

    A replaced refresh token presented again ends its session (it has two holders)."""
    return cookie.issue(
        sessions.refresh(session=session, settings=settings, presented=refresh_token)
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    *,
    session: SessionDep,
    cookie: SessionCookieDep,
    refresh_token: RefreshCookie = None,
    _csrf: CsrfHeader,
) -> None:
    """Ends this browser's session and clears its cookie (no cookie: nothing to end)."""
    sessions.end(session=session, presented=refresh_token)
    cookie.clear()


@router.post("/logout-all", status_code=status.HTTP_204_NO_CONTENT, responses=AUTHENTICATED)
async def logout_all(
    *, user: CurrentUser, session: SessionDep, cookie: SessionCookieDep, hub: HubDep
) -> None:
    """Ends every session of the user and refuses every access token issued so far,
    this request's included; other browsers find out on their next call. The user's live
    sockets on this replica are closed too, so none keeps receiving changes."""
    await run_in_threadpool(sessions.end_all, session=session, user=user)
    await hub.close_user(user.id, code=status.WS_1008_POLICY_VIOLATION, reason="logged out")
    cookie.clear()


@router.get("/me", response_model=UserPublic, responses=AUTHENTICATED)
def me(*, user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)
