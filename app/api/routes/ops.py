"""Endpoints for the platform: Prometheus scraping and the scheduled reminder check."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.api.deps import SessionDep, SettingsDep
from app.api.responses import AUTHENTICATED
from app.contracts import METRICS_ROUTE, REMINDER_CHECK_ROUTE
from app.services.reminders import fire_due_reminders

router = APIRouter(tags=["ops"])
metrics_router = APIRouter(tags=["ops"])


@metrics_router.get(METRICS_ROUTE, include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _dapr_caller(
    settings: SettingsDep, dapr_api_token: Annotated[str | None, Header()] = None
) -> None:
    """Only Dapr's sidecar (configured with APP_API_TOKEN) may trigger the check."""
    expected = settings.app_api_token
    if not expected or not dapr_api_token or not secrets.compare_digest(expected, dapr_api_token):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="not the scheduler")


@router.post(
    REMINDER_CHECK_ROUTE,
    dependencies=[Depends(_dapr_caller)],
    responses={401: AUTHENTICATED[401] | {"description": "Not the scheduler (dapr-api-token)"}},
)
def reminder_check(session: SessionDep) -> dict[str, int]:
    """Fires due reminders once; Dapr's `reminder-check` cron binding calls this every minute."""
    return {"fired": fire_due_reminders(session=session)}
