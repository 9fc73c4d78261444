"""The error answers the OpenAPI document promises, declared once per cause.

FastAPI documents only 2xx and 422 by itself. Each dependency or rule that can refuse a
request has its dict here; a router adds the ones all its routes share (a user-scoped
router: 401 and 403) and a route only what is its own (404 for an id, 409, 400 for a body).
"""

from __future__ import annotations

from typing import Any

from app.api.errors import ErrorBody, InputErrorBody, ValidationErrorBody

Responses = dict[int | str, dict[str, Any]]


def _error(description: str, model: Any = ErrorBody) -> dict[str, Any]:
    return {"model": model, "description": description}


# Every route: the NUL guard answers 422 to a NUL anywhere in a request, even on a route
# without parameters; a rule needing context (the user's timezone) answers with its field.
INVALID: Responses = {
    422: _error(
        "The request breaks the schema (each field and why) or a rule on its values",
        ValidationErrorBody | InputErrorBody,
    )
}
# Every route: while the database is unreachable the answer is 503 with Retry-After.
UNAVAILABLE: Responses = {503: _error("The database is unreachable for now (see Retry-After)")}
MALFORMED_BODY: Responses = {400: _error("The body cannot be read (not UTF-8 JSON)")}
AUTHENTICATED: Responses = {401: _error("Missing, invalid or expired access token")}
USER_SCOPED: Responses = {
    **AUTHENTICATED,
    403: _error("The user_id in the path is not the token's user"),
}
NOT_FOUND: Responses = {404: _error("No such item among this user's")}
THROTTLED: Responses = {429: _error("Too many attempts from this address (see Retry-After)")}


def conflict(description: str) -> Responses:
    return {409: _error(description)}


def body_route(*extra: Responses) -> Responses:
    """A route that reads a JSON body: it can also answer 400."""
    merged: Responses = dict(MALFORMED_BODY)
    for responses in extra:
        merged |= responses
    return merged
