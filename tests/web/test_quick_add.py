"""Quick add: the add box's line read like the chat's, shown as removable chips before Enter."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import BrowserContext, Page, expect

from app.main import create_app
from tests.conftest import make_settings
from tests.web.conftest import DESKTOP, PHONE, USER_TIMEZONE, LiveServer
from tests.web.ui import sign_up, task_item

NewContext = Callable[..., BrowserContext]


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(sqlite_url))) as test_client:
        yield test_client


def _sign_up(client: TestClient, email: str) -> tuple[str, dict[str, str]]:
    answer = client.post(
        "/api/auth/signup",
        json={
            "name": "Quinn",
            "email": email,
            "password": "a-long-passw0rd",
            "timezone": USER_TIMEZONE,
        },
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return body["user"]["id"], {"Authorization": f"Bearer {body['access_token']}"}


def test_quick_add_reads_line_in_users_zone_when_posted(client: TestClient) -> None:
    user_id, headers = _sign_up(client, "quinn@example.com")
    text = "call dentist tomorrow at 9am p1 #health"
    answer = client.post(f"/api/{user_id}/quick-add", json={"text": text}, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["title"] == "call dentist"
    assert body["priority"] == 1
    assert body["tags"] == ["health"]
    due = datetime.fromisoformat(body["due"]).astimezone(ZoneInfo(USER_TIMEZONE))
    tomorrow = (datetime.now(ZoneInfo(USER_TIMEZONE)) + timedelta(days=1)).date()
    assert (due.date(), due.hour, due.minute) == (tomorrow, 9, 0)
    kinds = {token["kind"]: text[token["start"] : token["end"]] for token in body["tokens"]}
    assert kinds["priority"] == "p1" and kinds["tag"] == "#health"
    assert "tomorrow" in kinds["due"]
    # Nothing is saved by reading.
    assert client.get(f"/api/{user_id}/tasks", headers=headers).json() == []


@pytest.mark.parametrize(
    ("text", "status"), [("", 422), ("a\x00b", 422), ("x" * 1001, 422), ("fine", 200)]
)
def test_quick_add_rejects_bad_text_with_4xx(client: TestClient, text: str, status: int) -> None:
    user_id, headers = _sign_up(client, f"q{status}{len(text)}@example.com")
    answer = client.post(f"/api/{user_id}/quick-add", json={"text": text}, headers=headers)
    assert answer.status_code == status


def test_quick_add_is_only_for_the_token_owner(client: TestClient) -> None:
    owner, _ = _sign_up(client, "owner@example.com")
    _, stranger = _sign_up(client, "stranger@example.com")
    path = f"/api/{owner}/quick-add"
    assert client.post(path, json={"text": "x"}).status_code == 401
    assert client.post(path, json={"text": "x"}, headers=stranger).status_code == 403


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_add_box_shows_chips_and_a_removed_chip_keeps_its_words(
    new_context: NewContext, live_server: LiveServer, size: dict[str, int]
) -> None:
    page: Page = new_context(viewport=size).new_page()
    page.goto(live_server.url)
    sign_up(page)
    box = page.get_by_label("New task", exact=True)
    box.fill("call dentist tomorrow at 9am p1 #health")
    chips = page.get_by_role("list", name="Understood from the new task")
    expect(chips.locator("li")).to_have_count(3)
    expect(chips).to_contain_text("Priority: ")
    expect(chips).to_contain_text("Tag: ")
    chips.get_by_role("button", name=re.compile(r"^Remove Tag: .*#health")).click()
    expect(chips).to_contain_text("“#health” stays in the title")
    expect(box).to_be_focused()
    box.press("Enter")

    item = task_item(page, "call dentist #health")
    expect(item.locator(".prio")).to_have_text("P1")
    expect(item.locator("time")).to_contain_text("9:00 AM")
    expect(item.locator(".chip")).to_have_count(0)  # not tagged: the words stayed words
    expect(chips).to_be_hidden()

    box.fill("pay rent every month on the 1st p2")
    expect(chips.locator("li.qa-recurrence")).to_have_count(1)
    box.press("Enter")
    rent = task_item(page, "pay rent")
    expect(rent).to_contain_text("Repeats monthly")
    expect(rent.locator(".prio")).to_have_text("P2")
