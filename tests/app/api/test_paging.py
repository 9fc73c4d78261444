from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api.paging import PageQuery


def _client() -> TestClient:
    app = FastAPI()

    @app.get("/items")
    def items(page: PageQuery) -> list[int]:
        return page.counted((list(range(100))[page.offset : page.offset + page.limit], 100))

    return TestClient(app)


def test_page_defaults_to_the_first_fifty_with_the_total_in_a_header() -> None:
    response = _client().get("/items")
    assert response.json() == list(range(50))
    assert response.headers["X-Total-Count"] == "100"


def test_page_reads_offset_and_limit() -> None:
    response = _client().get("/items", params={"offset": 95, "limit": 10})
    assert response.json() == [95, 96, 97, 98, 99]
    assert response.headers["X-Total-Count"] == "100"


def test_page_refuses_a_limit_above_100_with_422() -> None:
    assert _client().get("/items", params={"limit": 101}).status_code == 422
