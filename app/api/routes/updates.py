"""Live task updates over a WebSocket, authenticated with the same bearer token."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status
from sqlmodel import Session

from app.core.config import Settings
from app.core.security import decode_access_claims
from app.realtime.hub import ConnectionHub
from app.repositories.users import get_user

router = APIRouter(tags=["realtime"])


@router.websocket("/api/{user_id}/updates")
async def updates(websocket: WebSocket, user_id: uuid.UUID, token: str | None = None) -> None:
    """Pushes {event_type, task_id, changes, occurred_at} for each of the user's task changes.

    Browsers cannot set headers on a WebSocket, so the token comes as the subprotocol pair
    `["bearer", <token>]` (kept out of URLs, hence out of access logs); `?token=` still works
    for older clients, and is redacted from every log line.
    """
    offered = websocket.scope.get("subprotocols") or []
    in_protocol = offered[1] if len(offered) >= 2 and offered[0] == "bearer" else None
    bearer = websocket.headers.get("authorization", "").removeprefix("Bearer ").strip()
    token_user = _token_user(websocket, in_protocol or bearer or token or "")
    if token_user is None:
        await websocket.close(
            code=status.WS_1008_POLICY_VIOLATION, reason="missing or invalid token"
        )
        return
    if token_user != user_id:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="not your account")
        return
    hub: ConnectionHub = websocket.app.state.hub
    await websocket.accept(subprotocol="bearer" if in_protocol else None)
    hub.connect(user_id, websocket)
    try:
        while True:
            await websocket.receive_text()  # clients may ping; nothing else is read
    except WebSocketDisconnect:
        pass
    finally:
        hub.disconnect(user_id, websocket)


def _token_user(websocket: WebSocket, token: str) -> uuid.UUID | None:
    """The token's user, if the token is valid and not older than the user's last
    "log out everywhere" (its epoch)."""
    settings: Settings = websocket.app.state.settings
    claims = decode_access_claims(
        token, secret=settings.jwt_secret, algorithm=settings.jwt_algorithm
    )
    if claims is None:
        return None
    with Session(websocket.app.state.engine) as session:
        user = get_user(session=session, user_id=claims.user_id)
        return claims.user_id if user and user.token_epoch == claims.epoch else None
