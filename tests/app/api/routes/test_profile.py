from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.users import signup


def test_update_profile_changes_timezone(client: TestClient) -> None:
    user = signup(client)
    response = client.patch(
        f"/api/{user.id}/profile", json={"timezone": "Asia/Tokyo"}, headers=user.headers
    )
    assert response.status_code == 200
    assert (
        client.get(f"/api/{user.id}/profile", headers=user.headers).json()["timezone"]
        == "Asia/Tokyo"
    )


def test_update_profile_bad_timezone_is_422(client: TestClient) -> None:
    user = signup(client)
    response = client.patch(
        f"/api/{user.id}/profile", json={"timezone": "Europe/Atlantis"}, headers=user.headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "timezone"


def test_profile_of_other_user_is_forbidden(client: TestClient) -> None:
    ann, bob = signup(client), signup(client)
    assert client.get(f"/api/{bob.id}/profile", headers=ann.headers).status_code == 403
