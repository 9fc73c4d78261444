from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Response
from fastapi.testclient import TestClient

from app.api.paging import counted
from app.models.page_window import PageWindow


def _client() -> TestClient:
    app = FastAPI()

    @app.get("/items")
    def items(query: Annotated[PageWindow, Query()], response: Response) -> list[int]:
        window = list(range(100))[query.offset : query.offset + query.limit]
        return counted(response, (window, 100))

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


def test_page_refuses_an_unknown_parameter_with_422() -> None:
    response = _client().get("/items", params={"ofset": 5})
    assert response.status_code == 422
    assert "ofset" in response.text
