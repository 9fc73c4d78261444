import anyio.from_thread
from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import EngineDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(engine: EngineDep, request: Request) -> JSONResponse:
    """The database answers (and in Dapr mode the sidecar's /v1.0/healthz); the cluster
    sends traffic only then."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks = {"database": "ok"}
    except SQLAlchemyError:
        checks = {"database": "unreachable"}
    dapr = getattr(request.app.state, "dapr", None)
    if dapr is not None:
        checks["dapr"] = "ok" if anyio.from_thread.run(dapr.healthy) else "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        status_code=status.HTTP_200_OK if ready else status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"status": "ok" if ready else "unavailable", **checks},
    )
