"""The web app end to end in a real headless Chromium against the real app and database."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, WebSocketRoute, expect

from tests.web.conftest import PHONE, USER_TIMEZONE, LiveServer
from tests.web.ui import (
    add_task,
    has_chat,
    log_in,
    new_account,
    open_filters,
    session_value,
    sign_up,
    tag_filter,
    task_item,
    task_items,
)

NewContext = Callable[..., BrowserContext]
# The README's picture; refreshed from this test's screenshot with TASKFLOW_UPDATE_DOCS=1.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "images" / "taskflow.png"


def _expect_second_user_sees_nothing(
    new_context: NewContext, server: LiveServer, first: Page
) -> None:
    other = new_context().new_page()
    other.goto(server.url)
    sign_up(other, new_account("Bea"))
    expect(other.locator("#task-summary")).to_have_text(re.compile("No open tasks yet"))
    expect(task_items(other)).to_have_count(0)
    expect(open_filters(other).locator("#filter-tags input")).to_have_count(0)
    # Nor can the second user read the first user's list through the API.
    answer = other.request.get(
        f"{server.url}/api/{session_value(first, 'user.id')}/tasks",
        headers={"Authorization": f"Bearer {session_value(other, 'token')}"},
    )
    assert answer.status == 403


def test_chat_adds_task_when_message_sent(
    page: Page, new_context: NewContext, live_server: LiveServer
) -> None:
    if not has_chat(live_server):
        pytest.skip("POST /api/{user_id}/chat is not built yet")
    sign_up(page)
    page.get_by_label("Message the assistant").fill("buy milk tomorrow at 5pm #groceries p2")
    page.keyboard.press("Enter")

    reply = page.locator("#chat-log .msg-assistant").last
    expect(reply).to_be_visible()
    expect(reply.locator(".msg-text")).not_to_be_empty()
    expect(page.get_by_role("log", name="Conversation")).to_have_attribute("aria-live", "polite")
    milk = task_item(page, "buy milk")
    expect(milk).to_be_visible()
    expect(milk.locator(".prio")).to_have_text("P2")
    expect(milk.get_by_role("button", name=re.compile("^#groceries"))).to_be_visible()
    due_at = milk.locator("time").get_attribute("datetime")
    assert due_at is not None
    due = datetime.fromisoformat(due_at).astimezone(ZoneInfo(USER_TIMEZONE))
    tomorrow = (datetime.now(ZoneInfo(USER_TIMEZONE)) + timedelta(days=1)).date()
    assert (due.date(), due.hour, due.minute) == (tomorrow, 17, 0)
    expect(milk.locator("time")).to_contain_text("5:00 PM")

    tag_filter(page, "groceries").check()
    expect(task_items(page)).to_have_count(1)
    milk.get_by_role("checkbox").click()
    expect(milk).to_have_count(0)  # the list shows open tasks unless asked otherwise
    expect(page.locator(".toast", has_text="Completed “buy milk”.")).to_be_visible()
    expect(page.locator("#error")).to_be_empty()
    _expect_second_user_sees_nothing(new_context, live_server, page)


def test_list_filters_and_completes_when_tasks_added_through_form(
    page: Page, new_context: NewContext, live_server: LiveServer
) -> None:
    sign_up(page)
    milk = add_task(page, "buy milk", priority="P2", due="2030-01-15T17:00", tags="groceries")
    add_task(page, "write report", priority="P1", tags="work, q1")
    expect(task_items(page)).to_have_count(2)

    # 17:00 in New York is 22:00 UTC, shown as 5 PM although the browser is in Tokyo.
    due = milk.locator("time")
    expect(due).to_have_attribute("datetime", re.compile(r"^2030-01-15T22:00:00"))
    expect(due).to_contain_text("Jan 15")
    expect(due).to_contain_text("5:00 PM")
    expect(milk.locator(".prio")).to_have_text("P2")

    tag_filter(page, "groceries").check()
    expect(task_items(page)).to_have_count(1)
    expect(milk).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(task_items(page)).to_have_count(2)
    task_item(page, "write report").get_by_role("button", name=re.compile("^#work")).click()
    expect(tag_filter(page, "work")).to_be_checked()
    expect(task_items(page)).to_have_count(1)
    page.get_by_role("button", name="Clear filters").click()

    # Several tags: any of them, or all of them.
    tag_filter(page, "groceries").check()
    tag_filter(page, "work").check()
    expect(task_items(page)).to_have_count(2)
    open_filters(page).get_by_label("Match").select_option("all")
    expect(task_items(page)).to_have_count(0)
    expect(page.locator("#task-summary")).to_have_text("No tasks match these filters.")
    page.get_by_role("button", name="Clear filters").click()

    page.get_by_label("Search tasks").fill("report")
    expect(task_items(page)).to_have_count(1)
    page.get_by_label("Search tasks").fill("")
    filters = open_filters(page)
    filters.get_by_label("Filter by Priority").select_option("P2")
    expect(task_items(page)).to_have_count(1)
    expect(milk).to_be_visible()
    filters.get_by_label("Filter by Priority").select_option("")
    filters.get_by_label("Due from").fill("2030-01-15")
    filters.get_by_label("Due until").fill("2030-01-15")
    expect(task_items(page)).to_have_count(1)
    expect(milk).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    page.get_by_label("Sort by").select_option("title")
    expect(page.locator(".task-list .task-title")).to_have_text(["buy milk", "write report"])

    milk.get_by_role("checkbox", name="Completed: buy milk").click()
    expect(task_items(page)).to_have_count(1)
    expect(task_item(page, "write report")).to_be_visible()
    filters = open_filters(page)
    filters.get_by_label("Filter by Status").select_option("completed")
    expect(task_items(page)).to_have_count(1)
    expect(milk).to_have_class(re.compile(r"\bdone\b"))
    expect(milk.get_by_role("checkbox")).to_be_checked()
    filters.get_by_label("Filter by Status").select_option("all")
    expect(task_items(page)).to_have_count(2)

    task_item(page, "write report").get_by_role("button", name="Delete write report").click()
    expect(task_items(page)).to_have_count(1)
    expect(page.locator("#error")).to_be_empty()
    _expect_second_user_sees_nothing(new_context, live_server, page)


def test_task_saved_when_edited_inline(page: Page) -> None:
    sign_up(page)
    item = add_task(page, "dentist", due="2030-03-01T09:30")
    item.get_by_role("button", name="Edit dentist").click()
    form = page.get_by_role("form", name="Edit dentist")
    form.get_by_label("Title").fill("dentist appointment")
    form.get_by_label("Priority").select_option("P1")
    form.get_by_label("Due date").fill("2030-03-02")
    form.get_by_label("Time (optional)").fill("15:00")
    form.get_by_label("Tags").fill("health")
    form.get_by_role("button", name="Save").click()

    edited = task_item(page, "dentist appointment")
    expect(edited.locator(".prio")).to_have_text("P1")
    expect(edited.locator("time")).to_have_attribute("datetime", re.compile(r"^2030-03-02T20:00"))
    expect(edited.get_by_role("button", name=re.compile("^#health"))).to_be_visible()


def test_error_shown_when_api_rejects_request(page: Page) -> None:
    account = new_account()
    alert = page.get_by_role("alert")
    form = page.get_by_role("form", name="Sign up")
    form.get_by_label("Name").fill(account.name)
    form.get_by_label("Email").fill(account.email)
    form.get_by_label("Password").fill("short")
    form.get_by_role("button", name="Create account").click()
    # Each problem in plain words next to its field, not raw validator text in a banner.
    password = form.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description("Use at least 8 characters.")
    expect(password).to_be_focused()
    expect(alert).to_be_empty()

    sign_up(page, account)
    page.get_by_role("button", name="Log out", exact=True).click()
    login = page.get_by_role("form", name="Log in")
    login.get_by_label("Email").fill(account.email)
    login.get_by_label("Password").fill("not-the-password")
    login.get_by_role("button", name="Log in").click()
    expect(alert).to_have_text("incorrect email or password")

    form.get_by_label("Name").fill("Again")
    form.get_by_label("Email").fill(account.email)
    form.get_by_label("Password").fill("another-long-password")
    form.get_by_role("button", name="Create account").click()
    expect(form.get_by_label("Email")).to_have_accessible_description(
        "An account with this email already exists. Log in instead?"
    )

    log_in(page, account)
    expect(alert).to_be_empty()
    page.get_by_label("Due date").fill("2030-01-01T10:00")
    page.get_by_label("New task", exact=True).fill("   ")
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_label("New task", exact=True)).to_have_accessible_description(
        "A task needs a title."
    )
    expect(alert).to_be_empty()


def test_session_ends_when_token_rejected(page: Page) -> None:
    sign_up(page)
    page.evaluate(
        "sessionStorage.setItem('taskflow.session', JSON.stringify({...JSON.parse("
        "sessionStorage.getItem('taskflow.session')), token: 'forged'}))"
    )
    # Without a refresh cookie too: nothing can renew the session (tests/web/test_sessions.py
    # shows a rejected token renewed through the cookie).
    page.context.clear_cookies()
    page.reload()
    expect(page.get_by_role("alert")).to_have_text("Your session has ended. Please log in again.")
    expect(page.get_by_role("form", name="Log in")).to_be_visible()


def test_other_tab_shows_change_when_task_added_elsewhere(
    new_context: NewContext, live_server: LiveServer
) -> None:
    first = new_context().new_page()
    first.goto(live_server.url)
    account = sign_up(first)
    second = new_context().new_page()
    second.goto(live_server.url)
    log_in(second, account)
    expect(second.locator("#live-status")).to_have_text("Live")

    add_task(first, "arrives live")
    # Polling is every 15 s; within 5 s it can only have come over the socket.
    expect(task_item(second, "arrives live")).to_be_visible(timeout=5_000)
    task_item(first, "arrives live").get_by_role("checkbox").click()
    # Completed, it leaves the open list in the other tab too.
    expect(task_item(second, "arrives live")).to_have_count(0, timeout=5_000)


def test_live_update_keeps_the_rows_of_unchanged_tasks(
    new_context: NewContext, live_server: LiveServer
) -> None:
    """A live refresh puts back the same element for a task that did not change, so a click
    in progress on it (mousedown, re-render, mouseup) is not lost; a changed task is redrawn."""
    page = new_context().new_page()
    page.goto(live_server.url)
    sign_up(page)
    expect(page.locator("#live-status")).to_have_text("Live")
    add_task(page, "stays put")
    add_task(page, "changes elsewhere")
    for title in ("stays put", "changes elsewhere"):
        task_item(page, title).evaluate("row => { row.dataset.drawnBefore = 'yes'; }")
    api = f"{live_server.url}/api/{session_value(page, 'user.id')}/tasks"
    auth = {"Authorization": f"Bearer {session_value(page, 'token')}"}
    changed = task_item(page, "changes elsewhere").get_attribute("data-task-id")
    assert page.request.patch(f"{api}/{changed}", headers=auth, data={"priority": "P1"}).ok
    assert page.request.post(api, headers=auth, data={"title": "arrives live"}).status == 201

    expect(task_item(page, "arrives live")).to_be_visible(timeout=5_000)
    expect(task_item(page, "changes elsewhere").locator(".prio")).to_have_text("P1")
    expect(task_item(page, "changes elsewhere")).not_to_have_attribute("data-drawn-before", "yes")
    expect(task_item(page, "stays put")).to_have_attribute("data-drawn-before", "yes")


def test_list_refetched_when_socket_pushes_event(
    new_context: NewContext, live_server: LiveServer
) -> None:
    sockets: list[WebSocketRoute] = []
    page = new_context().new_page()
    page.route_web_socket(re.compile(r"/updates"), lambda socket: sockets.append(socket))
    page.goto(live_server.url)
    sign_up(page)
    expect(page.locator("#live-status")).to_have_text("Live")
    created = page.request.post(
        f"{live_server.url}/api/{session_value(page, 'user.id')}/tasks",
        headers={"Authorization": f"Bearer {session_value(page, 'token')}"},
        data={"title": "made elsewhere"},
    )
    assert created.status == 201
    expect(task_item(page, "made elsewhere")).to_have_count(0)
    # The token is never in the socket's URL (URLs reach access logs).
    assert "token" not in sockets[-1].url
    sockets[-1].send('{"event_type": "created", "task_id": 1, "changes": {}, "occurred_at": ""}')
    expect(task_item(page, "made elsewhere")).to_be_visible(timeout=3_000)


def test_list_works_when_updates_socket_unavailable(
    new_context: NewContext, live_server: LiveServer
) -> None:
    page = new_context().new_page()
    page.route_web_socket(re.compile(r"/updates"), lambda socket: socket.close(code=1011))
    page.goto(live_server.url)
    sign_up(page)
    expect(page.locator("#live-status")).to_have_text("Reconnecting…")
    add_task(page, "still works", tags="offline")
    expect(page.get_by_role("alert")).to_be_empty()
    assert page.page_errors() == []


def test_main_screen_saved_when_tasks_and_chat_shown(
    new_context: NewContext, live_server: LiveServer, artifacts: Path
) -> None:
    page = new_context().new_page()
    page.goto(live_server.url)
    sign_up(page)
    token, user_id = session_value(page, "token"), session_value(page, "user.id")
    page.request.post(
        f"{live_server.url}/api/{user_id}/tasks",
        headers={"Authorization": f"Bearer {token}"},
        data={
            "title": "team stand-up",
            "priority": "P3",
            "tags": ["work"],
            "due_at": "2030-01-14T09:30:00",
            "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "remind_before_minutes": 15,
        },
    )
    add_task(page, "pay rent", priority="P1", due="2020-01-01T09:00", tags="home")
    add_task(page, "buy milk", priority="P2", due="2030-01-15T17:00", tags="groceries, home")
    page.reload()
    expect(task_item(page, "pay rent").locator("time")).to_contain_text("Overdue")
    expect(task_item(page, "team stand-up")).to_contain_text("Repeats weekly on weekdays")
    expect(task_item(page, "team stand-up")).to_contain_text("Reminder 15 min before")
    if has_chat(live_server):
        page.get_by_label("Message the assistant").fill("what's due this week?")
        page.keyboard.press("Enter")
        expect(page.locator("#chat-log .msg-assistant")).to_have_count(1)

    # Desktop: views, list and assistant side by side.
    nav_box = page.get_by_role("navigation", name="Views").bounding_box()
    tasks_box = page.locator("#tasks-panel").bounding_box()
    chat_box = page.locator("#chat-panel").bounding_box()
    assert nav_box and tasks_box and chat_box
    assert nav_box["x"] + nav_box["width"] <= tasks_box["x"]
    assert chat_box["x"] >= tasks_box["x"] + tasks_box["width"]
    page.screenshot(path=artifacts / "main.png", full_page=True)
    page.screenshot(path=artifacts / "readme.png")
    if os.environ.get("TASKFLOW_UPDATE_DOCS"):
        DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifacts / "readme.png", DOCS_SCREENSHOT)

    # Phone: the list comes first (the add box and the first tasks on the first screen); the
    # assistant is a panel opened from the top bar.
    page.set_viewport_size(PHONE)
    page.reload()  # as a phone opens it: the add box's extra fields start folded
    expect(task_items(page)).to_have_count(3)
    expect(page.locator("#chat-panel")).to_be_hidden()
    page.screenshot(path=artifacts / "main-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    second, third = (task_items(page).nth(n).bounding_box() for n in (1, 2))
    assert second and third
    assert second["y"] + second["height"] <= PHONE["height"]  # two whole tasks, and a third
    assert third["y"] + 40 <= PHONE["height"]  # whose title shows, on the first screen
    page.get_by_role("button", name="Assistant").click()
    expect(page.locator("#chat-panel")).to_be_visible()
    expect(page.get_by_label("Message the assistant")).to_be_focused()
    page.screenshot(path=artifacts / "assistant-phone.png")
    page.get_by_role("button", name="Close assistant").click()
    expect(page.locator("#chat-panel")).to_be_hidden()
    for name in ("main.png", "main-phone.png", "assistant-phone.png"):
        assert (artifacts / name).stat().st_size > 10_000


def test_session_shared_by_tabs_and_conversation_back_after_log_in(
    new_context: NewContext, live_server: LiveServer
) -> None:
    context = new_context()
    first = context.new_page()
    first.goto(live_server.url)
    account = sign_up(first)
    add_task(first, "seen in both tabs")

    # A new tab of the same browser is signed in, and a reload keeps the session.
    second = context.new_page()
    second.goto(live_server.url)
    expect(task_item(second, "seen in both tabs")).to_be_visible()
    second.reload()
    expect(task_item(second, "seen in both tabs")).to_be_visible()

    if has_chat(live_server):
        first.get_by_label("Message the assistant").fill("add water the ferns tomorrow")
        first.keyboard.press("Enter")
        expect(first.locator("#chat-log .msg-assistant")).to_have_count(1)

    # Logging out in one tab logs out the other; logging in again brings the conversation back.
    first.get_by_role("button", name="Log out", exact=True).click()
    expect(second.get_by_role("form", name="Log in")).to_be_visible()
    expect(second.get_by_role("status").first).to_have_text("Logged out in another tab.")
    log_in(first, account)
    expect(second.get_by_role("heading", name="All tasks")).to_be_visible()
    if has_chat(live_server):
        expect(first.locator("#chat-log .msg-user")).to_have_text(
            ["You: add water the ferns tomorrow"]
        )
        expect(first.locator("#chat-log .msg-assistant")).to_have_count(1)
