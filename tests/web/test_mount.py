"""The web app inside the API process: "/" and /assets only, self-contained, nothing shadowed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.web import CONTENT_SECURITY_POLICY, STATIC_DIR
from tests.conftest import make_settings

STATIC_FILES = sorted(p for p in STATIC_DIR.rglob("*") if p.is_file())


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(sqlite_url))) as test_client:
        yield test_client


def test_index_served_with_security_headers_when_root_requested(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert '<script type="module" src="/assets/js/main.js">' in response.text


def test_assets_served_with_their_types_when_requested(client: TestClient) -> None:
    script = client.get("/assets/js/main.js")
    style = client.get("/assets/app.css")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert script.headers["cache-control"] == "no-cache" and script.headers["etag"]
    assert client.get("/assets/missing.js").status_code == 404
    assert client.get("/assets/../../main.py").status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/healthz", 200),
        ("/readyz", 200),
        ("/docs", 200),
        ("/openapi.json", 200),
        ("/api/auth/me", 401),
    ],
)
def test_api_routes_reachable_when_web_mounted(client: TestClient, path: str, status: int) -> None:
    assert client.get(path).status_code == status


def test_static_files_reference_no_other_origin_when_read() -> None:
    # Offline by design: no CDN, no web fonts, no analytics.
    assert STATIC_FILES
    for path in STATIC_FILES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://|url\(\s*['\"]?//", text), path


def test_every_import_and_asset_resolves_when_read() -> None:
    index = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    for ref in re.findall(r'(?:src|href)="(/assets/[^"]+)"', index):
        assert (STATIC_DIR / ref.removeprefix("/")).is_file(), ref
    for module in (STATIC_DIR / "assets" / "js").glob("*.js"):
        for ref in re.findall(r'from "(\./[^"]+)"', module.read_text(encoding="utf-8")):
            assert (module.parent / ref).resolve().is_file(), f"{module.name}: {ref}"


def test_every_label_points_at_a_control_when_read() -> None:
    index = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', index))
    targets = re.findall(r'<label for="([^"]+)"', index)
    assert targets and set(targets) <= ids
    assert len(ids) == len(re.findall(r'\bid="', index)), "duplicate ids"
