from __future__ import annotations

import anyio.from_thread
from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from app.api.deps import EngineDep
from app.contracts import HEALTH_ROUTE, READY_ROUTE
from app.core.db import reachable

router = APIRouter(tags=["health"])


@router.get(
    HEALTH_ROUTE,
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"description": "A consumer loop is stuck"}},
)
async def healthz(request: Request) -> JSONResponse:
    """The process is alive; in a consumer service also its loop: not ended, and not without
    progress for CONSUMER_STALL_SECONDS while messages wait (the liveness probe restarts it)."""
    live = getattr(request.app.state, "liveness", None)
    if live is not None and not live():
        return JSONResponse(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE, content={"status": "stalled"}
        )
    return JSONResponse(content={"status": "ok"})


@router.get(READY_ROUTE)
def readyz(engine: EngineDep, request: Request) -> JSONResponse:
    """The database answers (and in Dapr mode the sidecar's /v1.0/healthz); the cluster
    sends traffic only then."""
    checks = {"database": "ok" if reachable(engine) else "unreachable"}
    # The transport's own dependencies (in Dapr mode the sidecar's /v1.0/healthz).
    for name, check in getattr(request.app.state, "readiness", {}).items():
        checks[name] = "ok" if anyio.from_thread.run(check) else "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        status_code=status.HTTP_200_OK if ready else status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"status": "ok" if ready else "unavailable", **checks},
    )
