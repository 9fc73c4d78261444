"""Cross-origin scripts can read the listing's headers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.utils.users import signup


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_listing_headers_are_exposed_to_an_allowed_origin(client: TestClient) -> None:
    user = signup(client)
    response = client.get(
        user.tasks_url, headers={**user.headers, "Origin": "http://localhost:5173"}
    )
    assert response.status_code == 200
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Total-Count", "X-Total-Count-Exact", "X-Correlation-ID"} <= exposed
    assert "X-Total-Count-Exact" in response.headers
