"""The web app: a static single-page app (HTML, CSS, ES modules; no build step).

`mount_web(app)` serves it from the API process at "/"; `taskflow web` serves it alone and
proxies /api to the API (see app/web/proxy.py).
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

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


def mount_web(app: FastAPI) -> None:
    """Serves index.html at "/" and the assets under /assets, beside the API routes.

    Only these two paths are taken, so /api, /docs, /healthz, /metrics and /mcp stay reachable
    whatever order routes are added in.
    """

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers=_HEADERS)

    app.mount("/assets", StaticFiles(directory=STATIC_DIR / "assets"), name="web-assets")
