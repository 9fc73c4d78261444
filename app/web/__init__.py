"""The web app: a static single-page app (HTML, CSS, ES modules; no build step).

`mount_web(app)` serves it from the API process at "/"; `taskflow web` serves it alone and
proxies /api to the API (see app/web/proxy.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Scripts and styles only from this origin; API calls and the live-updates socket likewise.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class _Assets(StaticFiles):
    """Assets are not content-hashed: browsers must revalidate (ETag) before reusing one."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def mount_web(app: FastAPI, *, api: bool = True) -> None:
    """Serves index.html at "/" and the assets under /assets, beside the API routes.

    Only these two paths are taken, so /api, /docs, /healthz, /metrics and /mcp stay reachable
    whatever order routes are added in. With `api` (the API process) it also adds the add
    box's POST /api/{user_id}/quick-add; `taskflow web` forwards that to the API instead.
    """
    if api:
        # Imported here: `taskflow web` (api=False) needs none of the API's modules.
        from app.web import data, quick_add

        app.include_router(quick_add.router)
        app.include_router(data.router)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers=_HEADERS)

    app.mount("/assets", _Assets(directory=STATIC_DIR / "assets"), name="web-assets")
