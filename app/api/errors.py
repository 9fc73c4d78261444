"""Every failure becomes a 4xx with a message naming the field; never a 500 with a trace."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException

from app.models.bounds import PATTERN_MESSAGES
from app.services.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    ServiceError,
    TooManyAttempts,
    Unauthorized,
)

logger = logging.getLogger(__name__)

_STATUS: dict[type[ServiceError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    Unauthorized: status.HTTP_401_UNAUTHORIZED,
    InvalidInput: status.HTTP_422_UNPROCESSABLE_CONTENT,
    TooManyAttempts: status.HTTP_429_TOO_MANY_REQUESTS,
}


class ErrorBody(BaseModel):
    """Every error but a schema violation: what went wrong, in words."""

    detail: str
    message: str


class InputErrorBody(ErrorBody):
    """A 422 from a rule that needs context (a due time the user's clocks skip)."""

    field: str


class FieldError(BaseModel):
    field: str
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorBody(BaseModel):
    """A 422 from the schema: each field's problem, and all of them in one message."""

    detail: list[FieldError]
    message: str


def _field(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _message(error: Mapping[str, Any]) -> str:
    pattern = (
        error.get("ctx", {}).get("pattern") if error["type"] == "string_pattern_mismatch" else None
    )
    return PATTERN_MESSAGES.get(pattern or "", str(error["msg"]).removeprefix("Value error, "))


def validation_response(raw: Sequence[Mapping[str, Any]]) -> JSONResponse:
    """The one shape of a 422: each error's field, location and message."""
    # Echoing "input" back could leak a password; keep location and message only.
    errors = [
        {
            "field": _field(tuple(e["loc"])),
            "loc": list(e["loc"]),
            "msg": _message(e),
            "type": e["type"],
        }
        for e in raw
    ]
    message = "; ".join(f"{e['field']}: {e['msg']}" for e in errors)
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": errors, "message": message},
    )


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_response(exc.errors())


async def _service_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    code = _STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST)
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after_seconds)
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    content: dict[str, object] = {"detail": exc.message, "message": exc.message}
    if isinstance(exc, InvalidInput):
        content["field"] = exc.field
    return JSONResponse(status_code=code, content=content, headers=headers)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    # The one error shape (ErrorBody) for FastAPI's and Starlette's own 400/401/403/404/405.
    assert isinstance(exc, HTTPException)
    return JSONResponse(
        status_code=exc.status_code,
        content={"detail": exc.detail, "message": exc.detail},
        headers=exc.headers,
    )


DATABASE_UNAVAILABLE = "The database is unreachable for now; try again in a few seconds."
RETRY_AFTER_SECONDS = 5


async def _database_unavailable(_: Request, exc: Exception) -> JSONResponse:
    # An outage (connection refused or lost, a lock held too long) is the server's and passes:
    # a 503 the client may retry, not a 500 with a trace. Only the type is logged (the
    # message quotes the statement).
    logger.warning("database unavailable: %s", type(exc).__name__)
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": DATABASE_UNAVAILABLE, "message": DATABASE_UNAVAILABLE},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=exc)
    return JSONResponse(
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        content={"detail": "internal error", "message": "internal error"},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
