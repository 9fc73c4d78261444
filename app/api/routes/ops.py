"""Endpoints for the platform: Prometheus scraping and the Dapr cron binding."""

import asyncio

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(tags=["ops"])
metrics_router = APIRouter(tags=["ops"])


@metrics_router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.post("/reminder-check")
async def reminder_check(request: Request) -> dict[str, int]:
    """Fires due reminders once; Dapr's `reminder-check` cron binding calls this every minute."""
    fired = await asyncio.to_thread(request.app.state.events.check_reminders)
    return {"fired": fired}
