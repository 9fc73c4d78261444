"""Endpoints for the platform: Prometheus scraping and the scheduled reminder check."""

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.api.deps import SessionDep
from app.contracts import METRICS_ROUTE, REMINDER_CHECK_ROUTE
from app.services.reminders import fire_due_reminders

router = APIRouter(tags=["ops"])
metrics_router = APIRouter(tags=["ops"])


@metrics_router.get(METRICS_ROUTE, include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.post(REMINDER_CHECK_ROUTE)
def reminder_check(session: SessionDep) -> dict[str, int]:
    """Fires due reminders once; Dapr's `reminder-check` cron binding calls this every minute."""
    return {"fired": fire_due_reminders(session=session)}
